#ifndef LIST_H
#define LIST_H

#include <stddef.h>

struct list {
	int *items;
	size_t len;
	size_t cap;
};

void list_init(struct list *l);
int list_push(struct list *l, int value);
size_t list_len(const struct list *l);

#endif
