# shellcheck shell=bash
# Integration-test mail stack: real servers on 127.0.0.1, all state in $STACK.
#
#   source tests/integration/stack.sh
#   STACK=$(mktemp -d); chmod 755 "$STACK"
#   trap 'stack_cleanup; rm -rf "$STACK"' EXIT
#   stack_tls; stack_imap_start; stack_smtp_start; stack_webhook_start
#
# Servers: Dovecot 2.3 (IMAP, STARTTLS, IMAPS, IDLE, PLAIN/LOGIN/XOAUTH2/
# OAUTHBEARER), a Python OAuth2 introspection endpoint for Dovecot, an aiosmtpd
# SMTP receiver (smtp_receiver.py) and a webhook receiver (http_stub.py).
# Every server is a background job of the sourcing shell (same process group,
# so a killed test takes them along); a watchdog also stops them if that shell
# dies without running stack_cleanup. Do not call a bare `wait` in a test: it
# would wait for the servers.
#
# Works under `set -euo pipefail` and without it: every function returns
# non-zero (with a message on stderr) on failure instead of relying on set -e.
#
# Layout of $STACK:
#   tls/            ca.crt ca.key server.crt server.key other-ca.crt
#   imap.pass       IMAP password of user "security" (0600, no newline)
#   smtp.pass       SMTP password of user "gateway"  (0600, no newline)
#   dovecot/        dovecot.conf, oauth2.conf.ext, users, dovecot.log, mail/%u
#   smtp/           NNNNNN.eml, one per accepted message
#   webhook/        NNNNNN.json + NNNNNN.headers per POST; `fail`, rejected.log
#   run/            *.pid, *.port, *.log of the helpers, oauth.tokens, smtp.tokens,
#                   *.reserved (ports held for the stack, see _stack_reserve)
#
# Tunables (environment): STACK_PYTHON (default /usr/bin/python3, Debian's,
# which has aiosmtpd), STACK_TIMEOUT (seconds to wait for a server, default 15),
# STACK_IMAP_CAPABILITY (when set, Dovecot's imap_capability: the CAPABILITY
# it announces after login, e.g. without MOVE to play an older server).

STACK_PYTHON=${STACK_PYTHON:-/usr/bin/python3}
STACK_TIMEOUT=${STACK_TIMEOUT:-15}
STACK_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# ---------------------------------------------------------------- internals

# _stack_err MSG... - print an error on stderr. Returns 0 (so that under
# set -e the caller still gets to print the log tail); callers `return 1`.
_stack_err() {
  echo "stack: $*" >&2
}

# _stack_init - check $STACK, make it traversable by the dovecot user, create
# run/ and start the watchdog once.
_stack_init() {
  [ -n "${STACK:-}" ] || { _stack_err "STACK is not set (STACK=\$(mktemp -d))"; return 1; }
  [ -d "$STACK" ] || { _stack_err "STACK=$STACK is not a directory"; return 1; }
  # mktemp -d makes 0700; Dovecot's unprivileged processes must get through.
  chmod 755 "$STACK" || return 1
  mkdir -p "$STACK/run" || return 1
  _stack_watchdog_start
}

# _stack_watchdog_start - a background loop that, if the shell that sourced
# this library dies without stack_cleanup (e.g. SIGKILL of the shell alone),
# sends SIGTERM to every server whose pid file is in $STACK/run.
_stack_watchdog_start() {
  local run=$STACK/run parent=$$
  if [ -f "$run/watchdog.pidw" ] && _stack_alive "$(cat "$run/watchdog.pidw")"; then
    return 0
  fi
  (
    while kill -0 "$parent" 2>/dev/null; do sleep 0.5; done
    for f in "$run"/*.pid; do
      [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
    done
  ) </dev/null >/dev/null 2>&1 &
  echo $! >"$run/watchdog.pidw"
}

# _stack_alive PID - true if PID runs (a zombie counts as gone).
_stack_alive() {
  local pid=$1 stat
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# _stack_kill PID [NAME] - SIGTERM, wait up to $STACK_TIMEOUT s for the exit
# (then SIGKILL), and reap it if it is our child. Quiet if already gone.
_stack_kill() {
  local pid=$1 name=${2:-process} i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < STACK_TIMEOUT * 10; i++)); do
    _stack_alive "$pid" || break
    sleep 0.1
  done
  if _stack_alive "$pid"; then
    echo "stack: $name (pid $pid) ignored SIGTERM, killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# _stack_stop_pidfile FILE NAME - stop the process whose pid is in FILE and
# remove FILE. Safe if FILE does not exist.
_stack_stop_pidfile() {
  local file=$1 name=$2
  [ -f "$file" ] || return 0
  _stack_kill "$(cat "$file")" "$name"
  rm -f "$file"
}

# _stack_wait_file FILE PID NAME LOG - poll (0.1 s steps, $STACK_TIMEOUT s in
# all) until FILE exists; fail early if PID died. On failure print LOG's tail.
_stack_wait_file() {
  local file=$1 pid=$2 name=$3 log=$4 i
  for ((i = 0; i < STACK_TIMEOUT * 10; i++)); do
    [ -s "$file" ] && return 0
    if ! _stack_alive "$pid"; then
      _stack_err "$name exited during startup; last lines of $log:"
      tail -n 20 "$log" >&2 2>/dev/null
      return 1
    fi
    sleep 0.1
  done
  _stack_err "$name not ready after ${STACK_TIMEOUT}s; last lines of $log:"
  tail -n 20 "$log" >&2 2>/dev/null
  return 1
}

# _stack_port_open PORT - true if 127.0.0.1:PORT accepts a TCP connection.
_stack_port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# _stack_password FILE - print the password stored in FILE, creating FILE
# (mode 0600, random hex, no trailing newline) if it does not exist yet, so a
# restarted server keeps its password.
_stack_password() {
  local file=$1
  if [ ! -s "$file" ]; then
    (umask 077 && printf %s "$(openssl rand -hex 12)" >"$file") || return 1
  fi
  cat "$file"
}

# _stack_start_py NAME LOG SCRIPT ARGS... - start $STACK_PYTHON SCRIPT ARGS as
# a background job, logging to LOG; its pid goes to $STACK/run/NAME.pid.
_stack_start_py() {
  local name=$1 log=$2
  shift 2
  "$STACK_PYTHON" "$@" </dev/null >>"$log" 2>&1 &
  echo $! >"$STACK/run/$name.pid"
}

# _stack_reserve NAME N - reserve N loopback TCP ports for this stack until
# stack_cleanup; the ports go to $STACK/run/NAME.reserved (one line, space
# separated). Replaces an earlier reservation of NAME.
#
# Why: a port that is merely free (stack_free_port, or a server's own port 0)
# belongs to nobody while our server is not listening on it - between picking
# and binding, and while a server is stopped for a restart on the same port.
# Stacks running in parallel (ctest -j) bind port 0 all the time and the
# kernel may hand them exactly that port; the restart then fails with
# "Address already in use" (or, worse, our readiness check and our clients
# talk to another stack's server). The keeper process below holds each port
# bound (SO_REUSEADDR, never listening) for the life of the stack: the kernel
# never picks a port with a bound socket for anybody's bind(0) or connect(),
# and an explicit bind without SO_REUSEADDR fails, while our own servers,
# which bind their port explicitly with SO_REUSEADDR (Dovecot, aiosmtpd,
# http_stub.py), may still bind and listen on it next to the keeper's socket.
_stack_reserve() {
  local name=$1 n=$2 run=$STACK/run
  _stack_stop_pidfile "$run/ports-$name.pid" "port reservation $name"
  rm -f "$run/$name.reserved"
  "$STACK_PYTHON" -c '
import os, signal, socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(" ".join(str(s.getsockname()[1]) for s in socks) + "\n")
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
while True:
    signal.pause()  # until SIGTERM (default action: exit)
' "$n" "$run/$name.reserved" </dev/null >>"$run/ports.log" 2>&1 &
  echo $! >"$run/ports-$name.pid"
  _stack_wait_file "$run/$name.reserved" "$(cat "$run/ports-$name.pid")" \
    "port reservation $name" "$run/ports.log"
}

# _stack_urlenc STRING - percent-encode STRING for an IMAP URL path segment.
_stack_urlenc() {
  local s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9._~-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf %s "$out"
}

# _stack_imap_curl ARGS... - curl over IMAPS to the test Dovecot as "security",
# verifying the server with the test CA.
_stack_imap_curl() {
  local port
  port=${IMAPS_PORT:-$(cut -d' ' -f2 "$STACK/run/imap.ports" 2>/dev/null)}
  [ -n "$port" ] || { _stack_err "IMAP is not started (no IMAPS_PORT)"; return 1; }
  curl -sS --max-time 20 --cacert "$STACK/tls/ca.crt" \
    -u "security:$(cat "$STACK/imap.pass")" "$@"
}

# ------------------------------------------------------------------- public

# stack_tls - a test CA and a server certificate for localhost/127.0.0.1
# signed by it, plus an unrelated CA (other-ca.crt) for "wrong CA" tests.
# RSA 2048, valid 30 days. Does nothing if $STACK/tls/server.crt exists.
stack_tls() {
  _stack_init || return 1
  local d=$STACK/tls
  [ -s "$d/server.crt" ] && return 0
  mkdir -p "$d" && chmod 755 "$d" || return 1
  (
    set -e
    cd "$d"
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Incident Gateway Test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -new -newkey rsa:2048 -nodes -subj "/CN=localhost" \
      -keyout server.key -out server.csr 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" \
      "subjectAltName=DNS:localhost,IP:127.0.0.1" >server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
      -days 30 -extfile server.ext -out server.crt 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Unrelated Test CA" \
      -keyout other-ca.key -out other-ca.crt 2>/dev/null
    rm -f server.csr server.ext
    chmod 644 ca.crt server.crt other-ca.crt
  ) || { _stack_err "stack_tls: openssl failed"; return 1; }
}

# stack_free_port [N] - print N (default 1) distinct TCP ports on 127.0.0.1
# that are free right now (bind to port 0), one a line. Another process may
# still take one before you bind it; the stack's own servers therefore use
# reserved ports instead (_stack_reserve).
stack_free_port() {
  "$STACK_PYTHON" - "${1:-1}" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
for s in socks:
    print(s.getsockname()[1])
PY
}

# stack_imap_start - start Dovecot and its OAuth2 introspection endpoint.
# Exports IMAP_PORT (plain + STARTTLS), IMAPS_PORT (implicit TLS), IMAP_USER
# (security), IMAP_PASSWORD (also in $STACK/imap.pass), OAUTH_TOKEN
# (good-token), OAUTH_PORT and STACK_CA. Mailboxes INBOX, Processed and
# Quarantine exist and are subscribed. A second start after stack_imap_stop
# reuses the same ports, password and mail. $STACK/run/oauth.tokens (lines
# "TOKEN USER", re-read on every login) lists the valid bearer tokens: edit it
# to revoke or add tokens.
stack_imap_start() {
  _stack_init || return 1
  stack_tls || return 1
  local d=$STACK/dovecot run=$STACK/run pw hash i attempt fresh ports="" log_start
  if [ -f "$run/dovecot.pid" ] && _stack_alive "$(cat "$run/dovecot.pid")"; then
    _stack_err "stack_imap_start: Dovecot already runs"; return 1
  fi
  if ! id dovecot >/dev/null 2>&1 || ! id dovenull >/dev/null 2>&1; then
    _stack_err "users dovecot/dovenull missing: install dovecot-imapd (scripts/install-deps.sh --test)"
    return 1
  fi
  command -v dovecot >/dev/null || { _stack_err "dovecot not installed (scripts/install-deps.sh --test)"; return 1; }

  # The introspection endpoint Dovecot asks about bearer tokens.
  [ -f "$run/oauth.tokens" ] || echo "good-token security" >"$run/oauth.tokens"
  if ! { [ -f "$run/oauth.pid" ] && _stack_alive "$(cat "$run/oauth.pid")"; }; then
    rm -f "$run/oauth.port"
    _stack_start_py oauth "$run/oauth.log" "$STACK_LIB_DIR/http_stub.py" introspect \
      --tokens-file "$run/oauth.tokens" --port-file "$run/oauth.port"
    _stack_wait_file "$run/oauth.port" "$(cat "$run/oauth.pid")" "OAuth2 introspection server" "$run/oauth.log" || return 1
  fi
  export OAUTH_PORT OAUTH_TOKEN=good-token
  OAUTH_PORT=$(cat "$run/oauth.port")

  pw=$(_stack_password "$STACK/imap.pass") || return 1
  export IMAP_USER=security IMAP_PASSWORD=$pw STACK_CA=$STACK/tls/ca.crt
  hash=$(printf '%s\n' "$pw" | openssl passwd -6 -stdin) || return 1
  mkdir -p "$d/run" "$d/state" "$d/mail" || return 1
  chmod 755 "$d" || return 1
  printf 'security:{SHA512-CRYPT}%s\n' "$hash" >"$d/users"
  chown root:dovecot "$d/users" && chmod 640 "$d/users" || return 1
  chown -R dovecot:dovecot "$d/mail" || return 1
  printf '%s\n' "introspection_mode = post" \
    "introspection_url = http://127.0.0.1:$OAUTH_PORT/introspect" \
    "username_attribute = username" "active_attribute = active" "active_value = true" \
    >"$d/oauth2.conf.ext"

  [ -f "$run/imap.ports" ] && ports=$(cat "$run/imap.ports")
  # The ports are reserved for the life of the stack (_stack_reserve), so
  # that nobody else can take them, now or while Dovecot is stopped for a
  # restart. Up to 3 tries all the same, in case some process binds them
  # explicitly (with SO_REUSEADDR) anyway.
  for ((attempt = 1; attempt <= 3; attempt++)); do
    if [ -z "$ports" ]; then
      _stack_reserve imap 2 || return 1
      ports=$(cat "$run/imap.reserved")
      [[ $ports =~ ^[0-9]+\ [0-9]+$ ]] || { _stack_err "port reservation failed"; return 1; }
      fresh=1
    else
      fresh=0
    fi
    IMAP_PORT=${ports% *} IMAPS_PORT=${ports#* }
    _stack_dovecot_conf >"$d/dovecot.conf" || return 1
    # dovecot.log is kept across restarts; only this start's lines are judged.
    log_start=$(stat -c %s "$d/dovecot.log" 2>/dev/null || echo 0)
    rm -f "$d/run/master.pid"
    dovecot -F -c "$d/dovecot.conf" </dev/null >>"$d/dovecot.log" 2>&1 &
    echo $! >"$run/dovecot.pid"
    for ((i = 0; i < STACK_TIMEOUT * 10; i++)); do
      _stack_alive "$(cat "$run/dovecot.pid")" || break
      if _stack_port_open "$IMAP_PORT" && _stack_port_open "$IMAPS_PORT"; then
        echo "$ports" >"$run/imap.ports"
        export IMAP_PORT IMAPS_PORT
        return 0
      fi
      sleep 0.1
    done
    if _stack_alive "$(cat "$run/dovecot.pid")"; then
      _stack_stop_pidfile "$run/dovecot.pid" dovecot
      _stack_err "Dovecot did not accept connections on $IMAP_PORT/$IMAPS_PORT within ${STACK_TIMEOUT}s; last lines of $d/dovecot.log:"
      tail -n 20 "$d/dovecot.log" >&2
      return 1
    fi
    wait "$(cat "$run/dovecot.pid")" 2>/dev/null || true
    rm -f "$run/dovecot.pid"
    if [ "$fresh" = 1 ] && tail -c +$((log_start + 1)) "$d/dovecot.log" | grep -q "Address already in use"; then
      ports=""   # somebody bound a reserved port: try new ones
      continue
    fi
    break
  done
  _stack_err "Dovecot failed to start (ports $IMAP_PORT/$IMAPS_PORT); last lines of $d/dovecot.log:"
  tail -n 20 "$d/dovecot.log" >&2
  return 1
}

# _stack_dovecot_conf - print dovecot.conf for $STACK/dovecot with the ports
# in IMAP_PORT/IMAPS_PORT. One setting or brace per line (Dovecot rejects
# `service x { a = b }` on one line).
_stack_dovecot_conf() {
  local d=$STACK/dovecot
  cat <<EOF
# Generated by tests/integration/stack.sh
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
info_log_path = $d/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <$STACK/tls/server.crt
ssl_key = <$STACK/tls/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_verbose = yes
# Tests try wrong credentials on purpose: answer at once, and no growing
# per-IP penalty (anvil-auth-penalty mode 0 below) slowing later logins.
auth_failure_delay = 0
mail_location = maildir:$d/mail/%u
first_valid_uid = 1
${STACK_IMAP_CAPABILITY:+imap_capability = $STACK_IMAP_CAPABILITY}

# Bearer tokens (XOAUTH2, OAUTHBEARER): asked of the introspection endpoint.
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $d/oauth2.conf.ext
}
# Passwords (PLAIN, LOGIN).
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=SHA512-CRYPT $d/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$d/mail/%u
}

# auto = subscribe: created (as auto = create) and subscribed.
namespace inbox {
  inbox = yes
  mailbox INBOX {
    auto = subscribe
  }
  mailbox Processed {
    auto = subscribe
  }
  mailbox Quarantine {
    auto = subscribe
  }
}

service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
EOF
}

# stack_imap_stop - stop Dovecot (pid from its master.pid) and wait for it to
# exit, then the introspection endpoint. Safe if not running.
stack_imap_stop() {
  [ -n "${STACK:-}" ] || return 0
  local run=$STACK/run master=$STACK/dovecot/run/master.pid
  if [ -f "$run/dovecot.pid" ]; then
    # master.pid is what Dovecot itself reports; it is the same process as
    # the job we started (dovecot -F does not fork).
    [ -s "$master" ] && [ "$(cat "$master")" != "$(cat "$run/dovecot.pid")" ] &&
      _stack_kill "$(cat "$master")" dovecot
    _stack_stop_pidfile "$run/dovecot.pid" dovecot
    # The master exits once its children have closed their copies of the
    # listening sockets - or after 5 s regardless (MAX_DIE_WAIT_SECS). Wait
    # until the ports refuse connections, so that "down" holds on return and
    # a restart on the same ports cannot hit a listener of the old instance.
    local ports i
    ports=$(cat "$run/imap.ports" 2>/dev/null) || ports=""   # never started
    for ((i = 0; i < STACK_TIMEOUT * 10; i++)); do
      _stack_port_open "${ports% *}" || _stack_port_open "${ports#* }" || break
      sleep 0.1
    done
  fi
  _stack_stop_pidfile "$run/oauth.pid" "OAuth2 introspection server"
}

# stack_smtp_start - start the aiosmtpd receiver (smtp_receiver.py). Exports
# SMTP_PORT (STARTTLS) and SMTPS_PORT (TLS from the first byte; both kept if
# already set, so a restart listens where clients expect
# it), SMTP_USER (gateway), SMTP_PASSWORD (also in $STACK/smtp.pass) and
# STACK_CA. STARTTLS is required before MAIL and AUTH (PLAIN, LOGIN, XOAUTH2
# with bearer good-token for user gateway; $STACK/run/smtp.tokens, lines
# "TOKEN USER", re-read on every AUTH) is required. Messages land in
# $STACK/smtp/NNNNNN.eml with X-Envelope-From:/X-Envelope-To: lines on top.
stack_smtp_start() {
  _stack_init || return 1
  stack_tls || return 1
  local run=$STACK/run port
  if [ -f "$run/smtp.pid" ] && _stack_alive "$(cat "$run/smtp.pid")"; then
    _stack_err "stack_smtp_start: the SMTP receiver already runs"; return 1
  fi
  "$STACK_PYTHON" -c 'import aiosmtpd' 2>/dev/null ||
    { _stack_err "$STACK_PYTHON has no aiosmtpd: install python3-aiosmtpd (scripts/install-deps.sh --test)"; return 1; }
  mkdir -p "$STACK/smtp" || return 1
  export SMTP_USER=gateway SMTP_PASSWORD STACK_CA=$STACK/tls/ca.crt
  SMTP_PASSWORD=$(_stack_password "$STACK/smtp.pass") || return 1
  [ -f "$run/smtp.tokens" ] || echo "good-token gateway" >"$run/smtp.tokens"
  port=${SMTP_PORT:-$(cat "$run/smtp.port" 2>/dev/null || echo 0)}
  if [ "$port" = 0 ]; then
    # A reserved port rather than port 0, so that a restart gets it back
    # (see _stack_reserve).
    _stack_reserve smtp 1 || return 1
    port=$(cat "$run/smtp.reserved")
  fi
  rm -f "$run/smtp.port"
  _stack_start_py smtp "$run/smtp.log" "$STACK_LIB_DIR/smtp_receiver.py" \
    --port "$port" --port-file "$run/smtp.port" \
    --smtps-port "${SMTPS_PORT:-0}" --smtps-port-file "$run/smtps.port" \
    --cert "$STACK/tls/server.crt" --key "$STACK/tls/server.key" \
    --outdir "$STACK/smtp" --user gateway --password-file "$STACK/smtp.pass" \
    --tokens-file "$run/smtp.tokens"
  _stack_wait_file "$run/smtp.port" "$(cat "$run/smtp.pid")" "SMTP receiver" "$run/smtp.log" || {
    _stack_stop_pidfile "$run/smtp.pid" "SMTP receiver"
    return 1
  }
  export SMTP_PORT SMTPS_PORT
  SMTP_PORT=$(cat "$run/smtp.port")
  SMTPS_PORT=$(cat "$run/smtps.port")
}

# stack_smtp_stop - stop the SMTP receiver and wait for it to exit (the port
# then refuses connections: "SMTP down"). Safe if not running.
stack_smtp_stop() {
  [ -n "${STACK:-}" ] || return 0
  _stack_stop_pidfile "$STACK/run/smtp.pid" "SMTP receiver"
}

# stack_webhook_start - start the webhook receiver (http_stub.py webhook) on
# http://127.0.0.1:$WEBHOOK_PORT/ (any path). Each POST is saved as
# $STACK/webhook/NNNNNN.json (body) and NNNNNN.headers (request line and
# headers) and answered 200. While $STACK/webhook/fail exists it answers 503
# (or the status code written in that file), saves nothing and logs the
# attempt as a line of $STACK/webhook/rejected.log. Restarts on the same port.
stack_webhook_start() {
  _stack_init || return 1
  local run=$STACK/run port
  if [ -f "$run/webhook.pid" ] && _stack_alive "$(cat "$run/webhook.pid")"; then
    _stack_err "stack_webhook_start: the webhook receiver already runs"; return 1
  fi
  mkdir -p "$STACK/webhook" || return 1
  port=${WEBHOOK_PORT:-$(cat "$run/webhook.port" 2>/dev/null || echo 0)}
  if [ "$port" = 0 ]; then
    _stack_reserve webhook 1 || return 1   # as for SMTP: restarts get it back
    port=$(cat "$run/webhook.reserved")
  fi
  rm -f "$run/webhook.port"
  _stack_start_py webhook "$run/webhook.log" "$STACK_LIB_DIR/http_stub.py" webhook \
    --outdir "$STACK/webhook" --port "$port" --port-file "$run/webhook.port"
  _stack_wait_file "$run/webhook.port" "$(cat "$run/webhook.pid")" "webhook receiver" "$run/webhook.log" || {
    _stack_stop_pidfile "$run/webhook.pid" "webhook receiver"
    return 1
  }
  export WEBHOOK_PORT
  WEBHOOK_PORT=$(cat "$run/webhook.port")
}

# stack_webhook_stop - stop the webhook receiver. Safe if not running.
stack_webhook_stop() {
  [ -n "${STACK:-}" ] || return 0
  _stack_stop_pidfile "$STACK/run/webhook.pid" "webhook receiver"
}

# imap_append FILE [FOLDER] - APPEND FILE to FOLDER (default INBOX) over
# IMAPS as "security", verifying the server with the test CA.
imap_append() {
  local file=${1:?usage: imap_append FILE [FOLDER]} folder=${2:-INBOX} port
  [ -f "$file" ] || { _stack_err "imap_append: no file $file"; return 1; }
  port=${IMAPS_PORT:-$(cut -d' ' -f2 "$STACK/run/imap.ports" 2>/dev/null)}
  _stack_imap_curl --upload-file "$file" \
    "imaps://127.0.0.1:$port/$(_stack_urlenc "$folder")" ||
    { _stack_err "imap_append: APPEND of $file to $folder failed"; return 1; }
}

# imap_append_dated FILE DATE [FOLDER] - APPEND FILE to FOLDER (default
# INBOX) with DATE ("23-Nov-2026 09:10:00 +0000") as its INTERNALDATE, as
# if it had arrived then (Python's imaplib over IMAPS: curl cannot).
imap_append_dated() {
  local file=${1:?usage: imap_append_dated FILE DATE [FOLDER]} date=${2:?} folder=${3:-INBOX} port
  port=${IMAPS_PORT:-$(cut -d' ' -f2 "$STACK/run/imap.ports" 2>/dev/null)}
  "$STACK_PYTHON" - "$file" "$date" "$folder" "$port" "$STACK/tls/ca.crt" "$STACK/imap.pass" <<'PY' ||
import imaplib, ssl, sys
path, date, folder, port, ca, pw = sys.argv[1:]
imap = imaplib.IMAP4_SSL("127.0.0.1", int(port), ssl_context=ssl.create_default_context(cafile=ca))
imap.login("security", open(pw).read().strip())
typ, _ = imap.append(folder, None, '"%s"' % date, open(path, "rb").read())
imap.logout()
sys.exit(0 if typ == "OK" else 1)
PY
    { _stack_err "imap_append_dated: APPEND of $file to $folder failed"; return 1; }
}

# imap_count FOLDER - print the number of messages in FOLDER (IMAP STATUS
# MESSAGES, over IMAPS). Fails if the folder does not exist.
imap_count() {
  local folder=${1:?usage: imap_count FOLDER} port out n quoted
  port=${IMAPS_PORT:-$(cut -d' ' -f2 "$STACK/run/imap.ports" 2>/dev/null)}
  quoted=${folder//\\/\\\\}
  quoted=${quoted//\"/\\\"}
  out=$(_stack_imap_curl "imaps://127.0.0.1:$port/" -X "STATUS \"$quoted\" (MESSAGES)") ||
    { _stack_err "imap_count: STATUS $folder failed"; return 1; }
  n=$(printf '%s\n' "$out" | sed -n 's/^\* STATUS .*(.*MESSAGES \([0-9][0-9]*\).*/\1/p' | head -n 1)
  [ -n "$n" ] || { _stack_err "imap_count: no MESSAGES count in: $out"; return 1; }
  echo "$n"
}

# smtp_count - print the number of messages the SMTP receiver has accepted
# (files $STACK/smtp/NNNNNN.eml).
smtp_count() {
  local f n=0
  for f in "$STACK"/smtp/[0-9][0-9][0-9][0-9][0-9][0-9].eml; do
    [ -e "$f" ] && n=$((n + 1))
  done
  echo "$n"
}

# webhook_count - print the number of POSTs the webhook receiver has saved.
webhook_count() {
  local f n=0
  for f in "$STACK"/webhook/[0-9][0-9][0-9][0-9][0-9][0-9].json; do
    [ -e "$f" ] && n=$((n + 1))
  done
  echo "$n"
}

# stack_cleanup - stop everything that was started in $STACK (safe to call
# twice, and when nothing was started; meant for `trap ... EXIT`). Leaves the
# files in $STACK for the caller to inspect or remove.
stack_cleanup() {
  [ -n "${STACK:-}" ] && [ -d "$STACK/run" ] || return 0
  stack_webhook_stop
  stack_smtp_stop
  stack_imap_stop
  if declare -F stack_pg_stop >/dev/null; then stack_pg_stop; fi
  local f
  for f in "$STACK"/run/ports-*.pid; do   # release the reserved ports
    [ -f "$f" ] || continue
    _stack_stop_pidfile "$f" "port reservation"
  done
  rm -f "$STACK"/run/*.reserved
  if [ -f "$STACK/run/watchdog.pidw" ]; then
    kill -TERM "$(cat "$STACK/run/watchdog.pidw")" 2>/dev/null || true
    wait "$(cat "$STACK/run/watchdog.pidw")" 2>/dev/null || true
    rm -f "$STACK/run/watchdog.pidw"
  fi
  return 0
}
