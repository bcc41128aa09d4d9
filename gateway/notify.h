/* notify.h - telling systemd how the service is (Type=notify): READY=1
 * once it watches its source, RELOADING=1 and READY=1 around a reload,
 * STOPPING=1 on the way out. Through libsystemd's sd_notify(), loaded
 * only when systemd asked (NOTIFY_SOCKET set), so that no command run by
 * hand or by an MTA loads it. */
#ifndef IG_NOTIFY_H
#define IG_NOTIFY_H

/* Sends state ("READY=1", ...); does nothing outside systemd. A missing
 * libsystemd is logged once. */
void notify_systemd(const char *state);

#endif
