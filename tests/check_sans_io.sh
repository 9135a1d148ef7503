#!/bin/sh
# Fails if the core library references any I/O, clock, allocation or
# formatted-output symbol: the core must stay sans-IO (DESIGN.md rule 1).
# Usage: check_sans_io.sh path/to/libgnomon_core.a
set -eu
lib=${1:?usage: $0 libgnomon_core.a}
[ -f "$lib" ] || { echo "sans-io: $lib not found" >&2; exit 1; }

# Undefined symbols the core needs from outside; strip versions and @plt.
undef=$(nm -u "$lib" 2>/dev/null | awk 'NF==2 && $1=="U"{print $2}' |
	sed 's/@.*//' | sort -u)
[ -n "$undef" ] || { echo "sans-io: could not read symbols of $lib" >&2; exit 1; }

forbidden='^(socket|bind|connect|listen|accept4?|send|sendto|sendmsg|sendmmsg|recv|recvfrom|recvmsg|recvmmsg|poll|ppoll|select|pselect|epoll_.*|read|write|readv|writev|pread|pwrite|open|openat|open64|close|fopen|fdopen|fclose|fread|fwrite|fgets|fputs|puts|putchar|ioctl|mmap|munmap|clock_gettime|clock_settime|clock_adjtime|adjtimex|gettimeofday|settimeofday|time|nanosleep|clock_nanosleep|usleep|sleep|timerfd_.*|malloc|calloc|realloc|free|strdup|strndup|aligned_alloc|posix_memalign|printf|fprintf|vprintf|vfprintf|dprintf|syslog|vsyslog|perror|exit|_exit|abort|getenv|rand|random|srand|srandom|getpid|fork|pthread_.*|signal|sigaction|__printf_chk|__fprintf_chk|__vfprintf_chk|__read_chk)$'

bad=$(printf '%s\n' "$undef" | grep -E "$forbidden" || true)
if [ -n "$bad" ]; then
	echo "sans-io: the core references forbidden symbols:" >&2
	printf '  %s\n' $bad >&2
	for s in $bad; do
		nm -A "$lib" 2>/dev/null | grep -E " U $s(@|\$)" | sed 's/^/    /' >&2
	done
	exit 1
fi
echo "sans-io: ok ($(printf '%s\n' "$undef" | wc -l) external symbols, none forbidden)"
printf '%s\n' "$undef" | sed 's/^/  uses: /'
