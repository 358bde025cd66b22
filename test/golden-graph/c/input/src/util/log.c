#include <stdio.h>
#include "log.h"

void log_msg(const char *msg)
{
	fprintf(stderr, LOG_PREFIX "%s\n", msg);
}
