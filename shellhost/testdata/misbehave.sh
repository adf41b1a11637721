#!/bin/sh
# A multilang child that misbehaves as $1 says, for the host's failure tests.
read_msg() {
	MSG=""
	while IFS= read -r line; do
		[ "$line" = "end" ] && return 0
		MSG="$MSG$line"
	done
	exit 0
}
read_msg
[ "$1" = "silent" ] && exec sleep 3600
piddir=$(printf '%s' "$MSG" | sed -n 's/.*"pidDir":"\([^"]*\)".*/\1/p' | sed 's#\\/#/#g')
[ -n "$piddir" ] && : > "$piddir/$$"
if [ "$1" = "nopid" ]; then
	printf '{"nopid":1}\nend\n'
	exec sleep 3600
fi
printf '{"pid":%d}\nend\n' $$
case "$1" in
exit) echo "exiting on purpose" >&2; exit 3 ;;
hang) exec sleep 3600 ;;
garbage) printf 'not json\nend\n'; exec sleep 3600 ;;
huge) head -c 300000 /dev/zero | tr '\0' 'x'; printf '\nend\n'; exec sleep 3600 ;;
unknown) read_msg; printf '{"command":"bogus"}\nend\n'; exec sleep 3600 ;;
badack) read_msg; printf '{"command":"ack","id":"nope"}\nend\n'; exec sleep 3600 ;;
badanchor) read_msg; printf '{"command":"emit","anchors":["nope"],"tuple":[1]}\nend\n'; exec sleep 3600 ;;
nosync) read_msg; exec sleep 3600 ;;
emitfail) read_msg; printf '{"command":"emit","stream":"undeclared","tuple":[1]}\nend\n'; exec sleep 3600 ;;
esac
