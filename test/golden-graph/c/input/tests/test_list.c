#include <assert.h>
#include "list.h"

static void fill(struct list *l, int n)
{
	while (n--)
		assert(list_push(l, n) == 0);
}

int main(void)
{
	struct list l;
	list_init(&l);
	fill(&l, 3);
	assert(list_len(&l) == 3);
	return 0;
}
