#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-or-later
# mgmt_raw.pl SERVER_PATH LOCAL_PATH DOMAIN GET|COMMAND ID_HEX - one
# IEEE 1588 management GET or COMMAND over a Unix datagram socket, for
# what Debian's pmc (linuxptp 3.1.1) cannot send: GET PORT_HWCLOCK_NP
# (0xC009), COMMAND DISABLE_PORT (0x200E) and ENABLE_PORT (0x200D).
#
# Prints "tlvType T", "managementId 0xID", "action A" and, for
# PORT_HWCLOCK_NP, "portIdentity", "phcIndex" and "flags" in pmc's
# notation; for MANAGEMENT_ERROR_STATUS "errorId". Exits 1 when no reply
# arrives within 3 s. Uses only perl-base (Socket), which every Debian
# system has. It must not do anything but this one request.
use strict;
use warnings;
use Socket;

die "usage: $0 SERVER LOCAL DOMAIN GET|COMMAND ID_HEX\n" unless @ARGV == 5;
my ($server, $local, $domain, $verb, $idhex) = @ARGV;
my $id = hex($idhex);
my %actions = (GET => 0, COMMAND => 3);
die "action must be GET or COMMAND\n" unless exists $actions{$verb};
my $act = $actions{$verb};

socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die "socket: $!\n";
unlink $local;
bind($s, pack_sockaddr_un($local)) or die "bind $local: $!\n";

# Header (34 octets): Management (0xD), versionPTP 2, length 54, domain,
# sourcePortIdentity 00..00-<pid>, sequenceId 1, controlField 4,
# logMessageInterval 0x7F. Body: targetPortIdentity all ones, hops 0/0,
# action GET (0) or COMMAND (3), reserved; TLV MANAGEMENT (1), length 2, the id.
my $hdr = pack('C C n C C n a8 N a8 n n C c',
	       0x0D, 0x02, 54, $domain, 0, 0, "\0" x 8, 0, "\0" x 8,
	       $$ & 0xFFFF, 1, 4, 0x7F);
my $body = pack('a10 C C C C n n n', "\xff" x 10, 0, 0, $act, 0, 1, 2, $id);
my $msg = $hdr . $body;
length($msg) == 54 or die "internal: length " . length($msg) . "\n";
send($s, $msg, 0, pack_sockaddr_un($server)) or die "send: $!\n";

my $rin = '';
vec($rin, fileno($s), 1) = 1;
my $deadline = time + 3;
my $reply;
while (time <= $deadline) {
	my $n = select(my $rout = $rin, undef, undef, 0.5);
	next unless $n > 0;
	recv($s, $reply, 1500, 0);
	last if defined $reply && length($reply) >= 54;
}
unlink $local;
exit 1 unless defined $reply && length($reply) >= 52;

my ($action) = unpack('x46 C', $reply);
my ($type, $len, $mid) = unpack('x48 n n n', $reply);
printf "action %d\n", $action & 0x0F;
printf "tlvType %d\n", $type;
if ($type == 2) {
	# MANAGEMENT_ERROR_STATUS: errorId, managementId.
	my ($err, $emid) = unpack('x52 n n', $reply);
	printf "errorId 0x%04x\n", $err;
	printf "managementId 0x%04X\n", $emid;
	exit 0;
}
printf "managementId 0x%04X\n", $mid;
if ($mid == 0xC009 && $len >= 2 + 15 && length($reply) >= 54 + 15) {
	my ($cid, $port, $phc, $flags) = unpack('x54 a8 n l> C', $reply);
	my $h = unpack('H*', $cid);
	printf "portIdentity %s.%s.%s-%d\n", substr($h, 0, 6),
	       substr($h, 6, 4), substr($h, 10, 6), $port;
	printf "phcIndex %d\n", $phc;
	printf "flags %d\n", $flags;
}
exit 0;
