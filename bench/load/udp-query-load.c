/*
 * udp-query-load: a DNS query load generator for bench/dns-authoritative.sh (BENCH_BATCH_LOAD=1),
 * for the question dnsperf cannot answer on a two-core machine: how many queries a second a server
 * pinned to one core answers when the load generator is not the limit. dnsperf makes one sendto and
 * one recvfrom per query; on one core here it tops out near the rate our server and NSD answer at,
 * so its QPS column measures dnsperf. This sends and receives in batches (sendmmsg, recvmmsg, up to
 * 32 per call), about a tenth of dnsperf's CPU per query.
 *
 * Same input as dnsperf (-d: "name type" per line, read in order, round and round), same shape of
 * load: CLIENTS UDP sockets (source ports) sharing at most OUTSTANDING queries in flight, RD set, no
 * EDNS (dnsperf's defaults), a query unanswered after TIMEOUT seconds counted lost. Every response
 * is matched to its query by socket and ID and checked (QR set, one question): one that matches
 * nothing in flight (malformed, or later than the timeout) counts as unexpected.
 *
 *   udp-query-load ADDR PORT QUERYFILE SECONDS [CLIENTS 16] [OUTSTANDING 200] [TIMEOUT 2]
 *
 * Prints its summary in dnsperf's words ("Queries sent:", "Queries lost:", "Queries per second:",
 * "Average Latency (s):", "Response codes:"), so the script reads both alike.
 * Loopback only: it refuses any other address.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32
#define MAX_QUERY 300
#define MAX_ANSWER 4096
#define IDS 65536

struct query { unsigned char wire[MAX_QUERY]; int len; };

static struct query *queries;
static int query_count;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int qtype_of(const char *name) {
  static const struct { const char *name; int code; } types[] = {
    {"A", 1}, {"NS", 2}, {"CNAME", 5}, {"SOA", 6}, {"PTR", 12}, {"MX", 15}, {"TXT", 16},
    {"AAAA", 28}, {"SRV", 33}, {"ANY", 255}};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strcasecmp(name, types[i].name) == 0) return types[i].code;
  return -1;
}

/* The query in wire form without its ID (set at send): RD, one question, class IN. */
static int encode(const char *name, int qtype, struct query *q) {
  unsigned char *p = q->wire;
  memset(p, 0, 12);
  p[2] = 0x01;  /* RD */
  p[5] = 1;     /* QDCOUNT */
  int at = 12;
  const char *label = name;
  while (*label) {
    const char *dot = strchr(label, '.');
    int len = dot ? (int) (dot - label) : (int) strlen(label);
    if (len == 0 && dot) return -1;
    if (len > 63 || at + len + 1 > MAX_QUERY - 5) return -1;
    p[at++] = (unsigned char) len;
    memcpy(p + at, label, len);
    at += len;
    if (!dot) break;
    label = dot + 1;
  }
  p[at++] = 0;
  p[at++] = qtype >> 8; p[at++] = qtype & 0xff;
  p[at++] = 0; p[at++] = 1;
  q->len = at;
  return 0;
}

static void load(const char *file) {
  FILE *in = fopen(file, "r");
  if (!in) { perror(file); exit(2); }
  int capacity = 1024;
  queries = malloc(sizeof *queries * capacity);
  char line[512], name[300], type[32];
  while (fgets(line, sizeof line, in)) {
    if (sscanf(line, "%299s %31s", name, type) != 2) continue;
    int qtype = qtype_of(type);
    if (qtype < 0) { fprintf(stderr, "unknown type %s\n", type); exit(2); }
    if (query_count == capacity) queries = realloc(queries, sizeof *queries * (capacity *= 2));
    if (encode(name, qtype, &queries[query_count]) < 0) { fprintf(stderr, "bad name %s\n", name); exit(2); }
    query_count++;
  }
  fclose(in);
  if (query_count == 0) { fprintf(stderr, "no queries in %s\n", file); exit(2); }
}

/* One source port: its IDs in flight, each with the time it was sent (0: free). */
struct client {
  int fd;
  double *sent_at;
  uint16_t *free_ids;
  int free_count;
};

static unsigned char in[BATCH][MAX_ANSWER];

/* What a run counts. */
struct tally {
  long sent, answered, lost, unexpected, rcodes[3]; /* NOERROR, NXDOMAIN, other */
  int in_flight;
  double latency; /* seconds, summed over the answered queries */
};

/* Waits up to 10 ms for answers, takes every one there is and matches each to its query. */
static int receive(struct client *c, int clients, struct pollfd *polls, struct mmsghdr *recv_msgs,
                   struct tally *n) {
  int taken = 0;
  if (poll(polls, clients, 10) <= 0) return 0;
  double t = now();
  for (int i = 0; i < clients; i++) {
    if (!(polls[i].revents & POLLIN)) continue;
    for (;;) {
      int got = recvmmsg(c[i].fd, recv_msgs, BATCH, MSG_DONTWAIT, NULL);
      if (got <= 0) break;
      for (int b = 0; b < got; b++) {
        unsigned char *a = in[b];
        unsigned len = recv_msgs[b].msg_len;
        uint16_t id = (uint16_t) (a[0] << 8 | a[1]);
        if (len < 12 || !(a[2] & 0x80) || a[5] != 1 || a[4] != 0 || c[i].sent_at[id] == 0) {
          n->unexpected++;
          continue;
        }
        n->latency += t - c[i].sent_at[id];
        c[i].sent_at[id] = 0;
        c[i].free_ids[c[i].free_count++] = id;
        n->in_flight--;
        n->answered++;
        taken++;
        int rcode = a[3] & 0x0f;
        n->rcodes[rcode == 0 ? 0 : rcode == 3 ? 1 : 2]++;
      }
      if (got < BATCH) break;
    }
  }
  return taken;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s ADDR PORT QUERYFILE SECONDS [CLIENTS] [OUTSTANDING] [TIMEOUT]\n", argv[0]);
    return 2;
  }
  struct sockaddr_in server = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
  if (inet_pton(AF_INET, argv[1], &server.sin_addr) != 1 || (ntohl(server.sin_addr.s_addr) >> 24) != 127) {
    fprintf(stderr, "%s: loopback IPv4 addresses only\n", argv[1]);
    return 2;
  }
  load(argv[3]);
  double seconds = atof(argv[4]);
  int clients = argc > 5 ? atoi(argv[5]) : 16;
  int outstanding_max = argc > 6 ? atoi(argv[6]) : 200;
  double timeout = argc > 7 ? atof(argv[7]) : 2.0;
  if (clients < 1 || outstanding_max < 1 || seconds <= 0) { fprintf(stderr, "bad arguments\n"); return 2; }

  struct client *c = calloc(clients, sizeof *c);
  struct pollfd *polls = calloc(clients, sizeof *polls);
  for (int i = 0; i < clients; i++) {
    c[i].fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (c[i].fd < 0 || connect(c[i].fd, (struct sockaddr *) &server, sizeof server) < 0) { perror("socket"); return 2; }
    int size = 4 << 20;
    setsockopt(c[i].fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    c[i].sent_at = calloc(IDS, sizeof(double));
    c[i].free_ids = malloc(IDS * sizeof(uint16_t));
    /* IDs handed out in a scrambled order, as a resolver would, and never two alike in flight. */
    for (int id = 0; id < IDS; id++) c[i].free_ids[id] = (uint16_t) ((id * 40503u + (unsigned) i * 7919u) & 0xffff);
    c[i].free_count = IDS;
    polls[i].fd = c[i].fd;
    polls[i].events = POLLIN;
  }

  static unsigned char out[BATCH][MAX_QUERY];
  struct mmsghdr send_msgs[BATCH], recv_msgs[BATCH];
  struct iovec send_iov[BATCH], recv_iov[BATCH];
  memset(send_msgs, 0, sizeof send_msgs);
  memset(recv_msgs, 0, sizeof recv_msgs);
  for (int b = 0; b < BATCH; b++) {
    send_iov[b].iov_base = out[b];
    send_msgs[b].msg_hdr.msg_iov = &send_iov[b];
    send_msgs[b].msg_hdr.msg_iovlen = 1;
    recv_iov[b].iov_base = in[b];
    recv_iov[b].iov_len = MAX_ANSWER;
    recv_msgs[b].msg_hdr.msg_iov = &recv_iov[b];
    recv_msgs[b].msg_hdr.msg_iovlen = 1;
  }

  struct tally n = {0};
  int next_query = 0, turn = 0;
  double start = now(), end = start + seconds, last_sweep = start;
  for (double t = start; t < end; t = now()) {
    /* Fill the window, a batch per socket in turn. */
    while (n.in_flight < outstanding_max) {
      struct client *k = &c[turn];
      turn = (turn + 1) % clients;
      int batch = 0;
      while (batch < BATCH && n.in_flight + batch < outstanding_max && k->free_count > 0) {
        struct query *q = &queries[next_query];
        next_query = (next_query + 1) % query_count;
        uint16_t id = k->free_ids[--k->free_count];
        memcpy(out[batch], q->wire, q->len);
        out[batch][0] = id >> 8;
        out[batch][1] = id & 0xff;
        send_iov[batch].iov_len = q->len;
        k->sent_at[id] = t;
        batch++;
      }
      if (batch == 0) break;
      int done = sendmmsg(k->fd, send_msgs, batch, 0);
      if (done < 0) done = 0;
      for (int b = done; b < batch; b++) { /* not sent (socket buffer full): give the IDs back */
        uint16_t id = (uint16_t) (out[b][0] << 8 | out[b][1]);
        k->sent_at[id] = 0;
        k->free_ids[k->free_count++] = id;
      }
      n.sent += done;
      n.in_flight += done;
      if (done < batch) break;
    }
    /* Wait for answers only when the window is full (or nothing could be sent). */
    receive(c, clients, polls, recv_msgs, &n);

    /* Queries unanswered for longer than the timeout are lost; their IDs are freed. */
    if (t - last_sweep > 0.5) {
      last_sweep = t;
      for (int i = 0; i < clients; i++)
        for (int id = 0; id < IDS; id++)
          if (c[i].sent_at[id] != 0 && t - c[i].sent_at[id] > timeout) {
            c[i].sent_at[id] = 0;
            c[i].free_ids[c[i].free_count++] = (uint16_t) id;
            n.in_flight--;
            n.lost++;
          }
    }
  }
  /* As dnsperf ends: nothing more is sent, the queries in flight get their timeout to answer. */
  double stop_sending = now(), last_answer = stop_sending;
  while (n.in_flight > 0 && now() - stop_sending < timeout) {
    if (receive(c, clients, polls, recv_msgs, &n) > 0) last_answer = now();
  }
  n.lost += n.in_flight;
  double elapsed = last_answer - start;
  printf("udp-query-load: %d socket(s), at most %d queries in flight, batches of %d\n", clients,
         outstanding_max, BATCH);
  printf("  Queries sent:         %ld\n", n.sent);
  printf("  Queries completed:    %ld (%.2f%%)\n", n.answered, n.sent ? 100.0 * n.answered / n.sent : 0.0);
  printf("  Queries lost:         %ld (%.2f%%)\n", n.lost, n.sent ? 100.0 * n.lost / n.sent : 0.0);
  printf("  Unexpected responses: %ld\n", n.unexpected);
  printf("  Response codes:       NOERROR %ld, NXDOMAIN %ld, other %ld\n", n.rcodes[0], n.rcodes[1],
         n.rcodes[2]);
  printf("  Average Latency (s):  %.6f\n", n.answered ? n.latency / n.answered : 0.0);
  printf("  Queries per second:   %.6f\n", n.answered / elapsed);
  return 0;
}
