/* The implementation of include/list.h, in another directory than the header and its users. */
#include <stdlib.h>
#include "list.h"

static int grow(struct list *l)
{
	size_t cap = l->cap ? l->cap * 2 : 8;
	int *items = realloc(l->items, cap * sizeof(*items));
	if (!items)
		return -1;
	l->items = items;
	l->cap = cap;
	return 0;
}

void list_init(struct list *l)
{
	l->items = NULL;
	l->len = 0;
	l->cap = 0;
}

int list_push(struct list *l, int value)
{
	if (l->len == l->cap && grow(l))
		return -1;
	l->items[l->len++] = value;
	return 0;
}

size_t list_len(const struct list *l)
{
	return l->len;
}
