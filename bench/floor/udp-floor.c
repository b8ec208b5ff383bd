/*
 * udp-floor: the least work a UDP DNS responder can do per answer on this kernel.
 *
 * A MEASURING INSTRUMENT for bench/dns-authoritative.sh (BENCH_FLOOR=1), not a server of the
 * project: it knows no zone, checks nothing a DNS server must check, and answers every query with
 * the same address. The bench builds it with gcc and starts it beside ours, NSD and BIND under the
 * same dnsperf command and pinning; never run it anywhere else.
 *
 * Its system calls are exactly our engine's and NSD's per read burst: one epoll_wait on one UDP
 * socket, one recvmmsg of up to 32 datagrams, one sendmmsg of their answers. Its answer is the
 * query's header and question with QR and AA set, one A record (a pointer to the question's name),
 * and, when that is shorter than ANSWER_BYTES, an additional TXT record that pads it to that size,
 * so that the kernel copies about as many bytes per answer as it does for ours (the bench passes
 * BENCH_FLOOR_BYTES, 67 by default: ours' average response for its query mix, as dnsperf reports
 * it; a question too long for the pad gets no pad). What it costs per answer is then the kernel's UDP
 * path plus the smallest user-space loop around it: the floor under any server's CPU per answer.
 *
 *   udp-floor ADDR PORT ANSWER_BYTES
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BURST 32
#define MAX_DATAGRAM 512

static unsigned char in[BURST][MAX_DATAGRAM], out[BURST][MAX_DATAGRAM];
static struct sockaddr_in peers[BURST];
static struct iovec in_iov[BURST], out_iov[BURST];
static struct mmsghdr in_msgs[BURST], out_msgs[BURST];

static void put16(unsigned char *p, unsigned v) { p[0] = v >> 8; p[1] = v & 0xff; }

/* The answer to the query in q (n bytes) into a; its length, or 0 for a datagram to drop. */
static size_t answer(const unsigned char *q, size_t n, unsigned char *a, size_t target) {
  size_t end = 12;
  if (n < 12 + 5 || (q[2] & 0x80) || q[4] != 0 || q[5] != 1) return 0;
  while (end < n && q[end] != 0) {
    if (q[end] > 63) return 0;
    end += 1 + q[end];
  }
  end += 1 + 4; /* the root label, QTYPE, QCLASS */
  if (end > n) return 0;
  memcpy(a, q, end);
  a[2] = (q[2] & 0x79) | 0x84; /* QR, AA; the query's opcode and RD */
  a[3] = 0;                     /* RA, Z, RCODE NOERROR */
  put16(a + 6, 1);              /* ANCOUNT */
  put16(a + 8, 0);
  put16(a + 10, 0);
  static const unsigned char record[] = {0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 127, 0, 0, 1};
  memcpy(a + end, record, sizeof record);
  end += sizeof record;
  if (target >= end + 13 && target <= MAX_DATAGRAM) { /* the TXT record's fixed part is 13 bytes */
    size_t text = target - end - 13;
    static const unsigned char txt[] = {0xc0, 12, 0, 16, 0, 1, 0, 0, 0x0e, 0x10};
    memcpy(a + end, txt, sizeof txt);
    put16(a + end + 10, text + 1);
    a[end + 12] = text;
    memset(a + end + 13, 'x', text);
    put16(a + 10, 1); /* ARCOUNT */
    end = target;
  }
  return end;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s ADDR PORT ANSWER_BYTES (a bench instrument, see its source)\n", argv[0]);
    return 2;
  }
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
  size_t target = strtoul(argv[3], NULL, 10);
  if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) return 2;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  int buffer = 4 << 20; /* what ours asks for; the kernel caps it at rmem_max */
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    perror("udp-floor: bind");
    return 1;
  }
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
  if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
    perror("udp-floor: epoll");
    return 1;
  }
  for (int i = 0; i < BURST; i++) {
    in_iov[i] = (struct iovec){.iov_base = in[i], .iov_len = MAX_DATAGRAM};
    out_iov[i] = (struct iovec){.iov_base = out[i]};
  }
  fprintf(stderr, "udp-floor: answering on %s:%s, %zu bytes per answer at least\n", argv[1], argv[2], target);
  for (;;) {
    if (epoll_wait(ep, &ev, 1, -1) < 1) continue;
    for (int i = 0; i < BURST; i++) {
      in_msgs[i].msg_hdr = (struct msghdr){.msg_name = &peers[i], .msg_namelen = sizeof peers[i],
                                           .msg_iov = &in_iov[i], .msg_iovlen = 1};
    }
    int got = recvmmsg(fd, in_msgs, BURST, MSG_DONTWAIT, NULL);
    int ready = 0;
    for (int i = 0; i < got; i++) {
      size_t n = answer(in[i], in_msgs[i].msg_len, out[ready], target);
      if (n == 0) continue;
      out_iov[ready].iov_base = out[ready];
      out_iov[ready].iov_len = n;
      out_msgs[ready].msg_hdr = (struct msghdr){.msg_name = &peers[i], .msg_namelen = sizeof peers[i],
                                                .msg_iov = &out_iov[ready], .msg_iovlen = 1};
      ready++;
    }
    /* A full send buffer drops the rest, as a UDP server must: dnsperf counts them as lost. */
    for (int sent = 0, n; sent < ready; sent += n) {
      n = sendmmsg(fd, out_msgs + sent, ready - sent, 0);
      if (n <= 0) break;
    }
  }
}
