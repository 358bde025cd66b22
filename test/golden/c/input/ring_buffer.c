/*
 * ring_buffer.c - a fixed-size ring buffer of byte records.
 *
 * Used by the logging path; never allocates after ring_init().
 */
#include <stdlib.h>
#include <string.h>
#include "ring_buffer.h"

#define RING_MAGIC 0x52494e47
#define RING_ALIGN(x) (((x) + 7) & ~7)
#define RING_WARN(fmt, ...) \
	fprintf(stderr, "ring: " fmt "\n", ##__VA_ARGS__)

typedef unsigned long ring_size_t;

enum ring_state {
	RING_EMPTY,
	RING_PARTIAL,
	RING_FULL,
};

struct ring_ops {
	int (*push)(struct ring *r, const void *data, ring_size_t len);
	void (*reset)(struct ring *r);
};

typedef struct ring {
	unsigned int magic;
	ring_size_t head;
	ring_size_t tail;
	ring_size_t capacity;
	enum ring_state state;
	const struct ring_ops *ops;
	unsigned char *data;
} ring_t;

static int ring_count;

static inline ring_size_t ring_used(const struct ring *r)
{
	return r->head - r->tail;
}

/* Initializes @r over @buf; returns 0 or -1 when @cap is not a power of two. */
int ring_init(struct ring *r, unsigned char *buf, ring_size_t cap)
{
	if (cap & (cap - 1)) {
		RING_WARN("capacity %lu is not a power of two", cap);
		return -1;
	}
	memset(r, 0, sizeof(*r));
	r->magic = RING_MAGIC;
	r->capacity = cap;
	r->data = buf;
	r->state = RING_EMPTY;
	ring_count++;
	return 0;
}

static int ring_push(struct ring *r, const void *data, ring_size_t len)
{
	ring_size_t need = RING_ALIGN(len);

	if (ring_used(r) + need > r->capacity) {
		r->state = RING_FULL;
		return -1;
	}
	memcpy(r->data + (r->head & (r->capacity - 1)), data, len);
	r->head += need;
	r->state = RING_PARTIAL;
	return 0;
}

static void ring_reset(struct ring *r)
{
	r->head = r->tail = 0;
	r->state = RING_EMPTY;
}

const struct ring_ops default_ring_ops = {
	.push = ring_push,
	.reset = ring_reset,
};

char **ring_names(void)
{
	static char *names[] = { "empty", "partial", "full", NULL };
	return names;
}
