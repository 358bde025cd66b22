#ifndef UTIL_LOG_H
#define UTIL_LOG_H

#define LOG_PREFIX "app: "

void log_msg(const char *msg);

#endif
