#include <stdio.h>
#include "../include/list.h"
#include "util/log.h"

/* A file-local helper; tests/test_list.c has its own `fill`. */
static void fill(struct list *l, int n)
{
	for (int i = 0; i < n; i++)
		list_push(l, i);
}

int main(void)
{
	struct list l;
	list_init(&l);
	fill(&l, 10);
	log_msg("filled");
	printf("%zu\n", list_len(&l));
	return 0;
}
