/*
 * The floor: the least work a WebSocket broadcaster can do per delivery on this kernel, as a reference for Herald's
 * benchmark (bench/README.md says why it is C). Each event is framed once, as the raw Kestrel reference frames it
 * ({"type":"event","data":PAYLOAD}), into a shared log; writer threads send every new frame of a topic to each of its
 * subscribers with one writev per socket per batch, straight from the log: no parsing of what subscribers send, no
 * allocation and no copy per delivery (a copy only for a socket whose buffer is full).
 *
 *   floor --port P [--heartbeat SECONDS] [--writers N]
 *
 * GET /ws?topic=T upgrades to a WebSocket subscribed to T (default "bench") and says {"type":"welcome"};
 * POST /publish?topic=T with a JSON payload as its body publishes one event (204). A {"type":"ping"} frame goes to
 * everyone every heartbeat. A subscriber more than 4 MiB behind is closed as a slow consumer. Prints
 * "listening http://127.0.0.1:P" when ready and exits when stdin closes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define LOG_BYTES (64u << 20)
#define LOG_FRAMES (1u << 20)
#define MAX_TOPICS 65536
#define MAX_WRITERS 8
#define MAX_PENDING (4u << 20)
#define REQUEST_MAX 65536
#define ALL_TOPICS UINT32_MAX
#define IOV_BATCH 512

struct frame {
    uint64_t offset;
    uint32_t length;
    uint32_t topic;
};

/* The log: frames appended by the main thread, read by every writer. */
static uint8_t *log_bytes;
static struct frame *log_frames;
static uint64_t log_head;            /* bytes appended (main thread only) */
static _Atomic uint64_t log_count;   /* frames appended; published with release order */

struct subscriber {
    int fd;
    uint32_t topic;
    uint32_t slot;       /* index in its topic's list */
    uint8_t *pending;    /* bytes not yet accepted by the socket */
    size_t pending_length;
    size_t pending_capacity;
};

struct topic_list {
    struct subscriber **items;
    uint32_t count;
    uint32_t capacity;
    /* this batch's frames for the topic, as iovecs into the log */
    struct iovec *iov;
    uint32_t iov_count;
    uint32_t iov_capacity;
    int touched;
};

struct writer {
    pthread_t thread;
    int epoll;
    int wake;                     /* eventfd: new frames or new subscribers */
    _Atomic uint64_t seen;        /* frames this writer has sent */
    pthread_mutex_t lock;
    struct subscriber **incoming; /* handed over by the main thread */
    uint32_t incoming_count;
    uint32_t incoming_capacity;
    struct topic_list *topics;    /* MAX_TOPICS entries */
    uint32_t *touched;
    uint32_t touched_count;
    uint32_t topics_used;         /* highest topic id with a subscriber, plus one */
};

static struct writer writers[MAX_WRITERS];
static int writer_count = 1;

/* Topic names to ids (main thread only). */
static char *topic_names[MAX_TOPICS];
static uint32_t topic_count;

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static void *grow(void *items, uint32_t *capacity, size_t item_size, uint32_t needed)
{
    if (needed <= *capacity) {
        return items;
    }
    uint32_t capacity2 = *capacity ? *capacity * 2 : 16;
    while (capacity2 < needed) {
        capacity2 *= 2;
    }
    items = realloc(items, capacity2 * item_size);
    if (!items) {
        die("realloc");
    }
    *capacity = capacity2;
    return items;
}

/* ---- SHA-1 and base64, for Sec-WebSocket-Accept ---- */

static uint32_t rol(uint32_t value, int bits)
{
    return (value << bits) | (value >> (32 - bits));
}

static void sha1(const uint8_t *data, size_t length, uint8_t out[20])
{
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    size_t total = ((length + 8) / 64 + 1) * 64;
    uint8_t *message = calloc(total, 1);
    memcpy(message, data, length);
    message[length] = 0x80;
    uint64_t bits = (uint64_t)length * 8;
    for (int i = 0; i < 8; i++) {
        message[total - 1 - i] = (uint8_t)(bits >> (8 * i));
    }
    for (size_t chunk = 0; chunk < total; chunk += 64) {
        uint32_t w[80];
        for (int i = 0; i < 16; i++) {
            const uint8_t *p = message + chunk + 4 * i;
            w[i] = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
        }
        for (int i = 16; i < 80; i++) {
            w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        }
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; i++) {
            uint32_t f, k;
            if (i < 20) {
                f = (b & c) | (~b & d);
                k = 0x5A827999;
            } else if (i < 40) {
                f = b ^ c ^ d;
                k = 0x6ED9EBA1;
            } else if (i < 60) {
                f = (b & c) | (b & d) | (c & d);
                k = 0x8F1BBCDC;
            } else {
                f = b ^ c ^ d;
                k = 0xCA62C1D6;
            }
            uint32_t t = rol(a, 5) + f + e + k + w[i];
            e = d;
            d = c;
            c = rol(b, 30);
            b = a;
            a = t;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
    }
    free(message);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (uint8_t)(h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(h[i] >> 8);
        out[4 * i + 3] = (uint8_t)h[i];
    }
}

static void base64(const uint8_t *in, size_t length, char *out)
{
    static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < length; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < length) {
            v |= (uint32_t)in[i + 1] << 8;
        }
        if (i + 2 < length) {
            v |= in[i + 2];
        }
        out[o++] = table[(v >> 18) & 63];
        out[o++] = table[(v >> 12) & 63];
        out[o++] = i + 1 < length ? table[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < length ? table[v & 63] : '=';
    }
    out[o] = 0;
}

/* ---- the log ---- */

static size_t frame_header(uint8_t *out, size_t payload_length)
{
    out[0] = 0x81; /* FIN, text */
    if (payload_length < 126) {
        out[1] = (uint8_t)payload_length;
        return 2;
    }
    if (payload_length < 65536) {
        out[1] = 126;
        out[2] = (uint8_t)(payload_length >> 8);
        out[3] = (uint8_t)payload_length;
        return 4;
    }
    out[1] = 127;
    for (int i = 0; i < 8; i++) {
        out[2 + i] = (uint8_t)((uint64_t)payload_length >> (56 - 8 * i));
    }
    return 10;
}

static uint64_t slowest_writer(void)
{
    uint64_t slowest = UINT64_MAX;
    for (int i = 0; i < writer_count; i++) {
        uint64_t seen = atomic_load_explicit(&writers[i].seen, memory_order_acquire);
        if (seen < slowest) {
            slowest = seen;
        }
    }
    return slowest;
}

/* Appends one frame (prefix + body + suffix, framed) for a topic; waits while the slowest writer would be overrun. */
static void append(uint32_t topic, const char *prefix, const uint8_t *body, size_t body_length, const char *suffix)
{
    size_t prefix_length = strlen(prefix), suffix_length = strlen(suffix);
    size_t payload_length = prefix_length + body_length + suffix_length;
    uint8_t header[10];
    size_t header_length = frame_header(header, payload_length);
    size_t length = header_length + payload_length;
    if (length > LOG_BYTES / 4) {
        fprintf(stderr, "floor: a frame of %zu bytes is too big\n", length);
        return;
    }
    /* A frame never wraps: skip to the start of the log when it would not fit before the end. */
    uint64_t start = log_head;
    if (start % LOG_BYTES + length > LOG_BYTES) {
        start += LOG_BYTES - start % LOG_BYTES;
    }
    uint64_t count = atomic_load_explicit(&log_count, memory_order_relaxed);
    for (;;) {
        uint64_t slowest = slowest_writer();
        uint64_t oldest_needed = slowest < count ? log_frames[slowest % LOG_FRAMES].offset : start;
        if (count - slowest < LOG_FRAMES && start + length - oldest_needed <= LOG_BYTES) {
            break;
        }
        usleep(100);
    }
    uint8_t *p = log_bytes + start % LOG_BYTES;
    memcpy(p, header, header_length);
    memcpy(p + header_length, prefix, prefix_length);
    memcpy(p + header_length + prefix_length, body, body_length);
    memcpy(p + header_length + prefix_length + body_length, suffix, suffix_length);
    log_frames[count % LOG_FRAMES] = (struct frame){start, (uint32_t)length, topic};
    log_head = start + length;
    atomic_store_explicit(&log_count, count + 1, memory_order_release);
}

static void wake_writers(void)
{
    uint64_t one = 1;
    for (int i = 0; i < writer_count; i++) {
        ssize_t ignored = write(writers[i].wake, &one, sizeof one);
        (void)ignored;
    }
}

/* ---- writers ---- */

static void close_subscriber(struct writer *w, struct subscriber *s)
{
    struct topic_list *list = &w->topics[s->topic];
    struct subscriber *last = list->items[--list->count];
    list->items[s->slot] = last;
    last->slot = s->slot;
    close(s->fd);
    free(s->pending);
    free(s);
}

static int queue_pending(struct subscriber *s, const struct iovec *iov, int count, size_t skip)
{
    for (int i = 0; i < count; i++) {
        size_t length = iov[i].iov_len;
        const uint8_t *base = iov[i].iov_base;
        if (skip >= length) {
            skip -= length;
            continue;
        }
        base += skip;
        length -= skip;
        skip = 0;
        if (s->pending_length + length > MAX_PENDING) {
            return -1;
        }
        if (s->pending_length + length > s->pending_capacity) {
            size_t capacity = s->pending_capacity ? s->pending_capacity : 4096;
            while (capacity < s->pending_length + length) {
                capacity *= 2;
            }
            s->pending = realloc(s->pending, capacity);
            s->pending_capacity = capacity;
        }
        memcpy(s->pending + s->pending_length, base, length);
        s->pending_length += length;
    }
    return 0;
}

static void arm_output(struct writer *w, struct subscriber *s, int on)
{
    struct epoll_event event = {.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0), .data.ptr = s};
    epoll_ctl(w->epoll, EPOLL_CTL_MOD, s->fd, &event);
}

/* Sends a batch to one subscriber: one writev, or queued behind what it has not taken yet. False to close it. */
static int send_batch(struct writer *w, struct subscriber *s, const struct iovec *iov, int count)
{
    if (s->pending_length > 0) {
        return queue_pending(s, iov, count, 0) == 0;
    }
    size_t total = 0;
    for (int i = 0; i < count; i++) {
        total += iov[i].iov_len;
    }
    ssize_t written = writev(s->fd, iov, count);
    if (written < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            return 0;
        }
        written = 0;
    }
    if ((size_t)written < total) {
        if (queue_pending(s, iov, count, (size_t)written) != 0) {
            return 0;
        }
        arm_output(w, s, 1);
    }
    return 1;
}

static void flush_pending(struct writer *w, struct subscriber *s)
{
    ssize_t written = write(s->fd, s->pending, s->pending_length);
    if (written < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            close_subscriber(w, s);
        }
        return;
    }
    memmove(s->pending, s->pending + written, s->pending_length - (size_t)written);
    s->pending_length -= (size_t)written;
    if (s->pending_length == 0) {
        arm_output(w, s, 0);
    }
}

static void add_iov(struct topic_list *list, const uint8_t *base, uint32_t length)
{
    if (list->iov_count > 0) {
        struct iovec *last = &list->iov[list->iov_count - 1];
        if ((const uint8_t *)last->iov_base + last->iov_len == base) {
            last->iov_len += length;
            return;
        }
    }
    list->iov = grow(list->iov, &list->iov_capacity, sizeof(struct iovec), list->iov_count + 1);
    list->iov[list->iov_count++] = (struct iovec){(void *)base, length};
}

static void touch(struct writer *w, uint32_t topic)
{
    if (!w->topics[topic].touched) {
        w->topics[topic].touched = 1;
        w->touched[w->touched_count++] = topic;
    }
}

/* Sends every frame appended since this writer's last batch to the subscribers of its topic. */
static void send_new_frames(struct writer *w)
{
    uint64_t seen = atomic_load_explicit(&w->seen, memory_order_relaxed);
    uint64_t count = atomic_load_explicit(&log_count, memory_order_acquire);
    if (seen == count) {
        return;
    }
    for (uint64_t i = seen; i < count; i++) {
        const struct frame *f = &log_frames[i % LOG_FRAMES];
        const uint8_t *base = log_bytes + f->offset % LOG_BYTES;
        if (f->topic == ALL_TOPICS) {
            for (uint32_t t = 0; t < w->topics_used; t++) {
                if (w->topics[t].count > 0) {
                    touch(w, t);
                    add_iov(&w->topics[t], base, f->length);
                }
            }
        } else if (w->topics[f->topic].count > 0) {
            touch(w, f->topic);
            add_iov(&w->topics[f->topic], base, f->length);
        }
    }
    for (uint32_t k = 0; k < w->touched_count; k++) {
        struct topic_list *list = &w->topics[w->touched[k]];
        for (uint32_t i = 0; i < list->count;) {
            struct subscriber *s = list->items[i];
            int ok = 1;
            for (uint32_t at = 0; at < list->iov_count && ok; at += IOV_BATCH) {
                uint32_t n = list->iov_count - at < IOV_BATCH ? list->iov_count - at : IOV_BATCH;
                ok = send_batch(w, s, list->iov + at, (int)n);
            }
            if (ok) {
                i++;
            } else {
                close_subscriber(w, s);
            }
        }
        list->iov_count = 0;
        list->touched = 0;
    }
    w->touched_count = 0;
    atomic_store_explicit(&w->seen, count, memory_order_release);
}

static void take_incoming(struct writer *w)
{
    pthread_mutex_lock(&w->lock);
    for (uint32_t i = 0; i < w->incoming_count; i++) {
        struct subscriber *s = w->incoming[i];
        struct topic_list *list = &w->topics[s->topic];
        list->items = grow(list->items, &list->capacity, sizeof(struct subscriber *), list->count + 1);
        s->slot = list->count;
        list->items[list->count++] = s;
        if (s->topic + 1 > w->topics_used) {
            w->topics_used = s->topic + 1;
        }
        struct epoll_event event = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = s};
        if (epoll_ctl(w->epoll, EPOLL_CTL_ADD, s->fd, &event) != 0) {
            die("epoll_ctl writer");
        }
    }
    w->incoming_count = 0;
    pthread_mutex_unlock(&w->lock);
}

static void *writer_loop(void *argument)
{
    struct writer *w = argument;
    struct epoll_event events[256];
    uint8_t scratch[4096];
    for (;;) {
        int n = epoll_wait(w->epoll, events, 256, -1);
        int woken = 0;
        for (int i = 0; i < n; i++) {
            if (events[i].data.ptr == NULL) {
                uint64_t value;
                ssize_t ignored = read(w->wake, &value, sizeof value);
                (void)ignored;
                woken = 1;
                continue;
            }
            struct subscriber *s = events[i].data.ptr;
            if (events[i].events & EPOLLOUT) {
                flush_pending(w, s);
                continue;
            }
            /* What subscribers send (pongs, a close) is read and dropped; an end or error closes the socket. */
            ssize_t r = read(s->fd, scratch, sizeof scratch);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                close_subscriber(w, s);
            }
        }
        if (woken) {
            take_incoming(w);
            send_new_frames(w);
        }
    }
    return NULL;
}

/* ---- the main thread: accept, upgrade, publish ---- */

struct connection {
    int fd;
    size_t length;
    char request[REQUEST_MAX];
};

static uint32_t topic_id(const char *name, size_t length)
{
    for (uint32_t i = 0; i < topic_count; i++) {
        if (strlen(topic_names[i]) == length && memcmp(topic_names[i], name, length) == 0) {
            return i;
        }
    }
    if (topic_count == MAX_TOPICS) {
        fprintf(stderr, "floor: too many topics\n");
        exit(1);
    }
    topic_names[topic_count] = strndup(name, length);
    return topic_count++;
}

/* The topic of a request line such as "GET /ws?topic=t12 HTTP/1.1"; "bench" without one. */
static uint32_t request_topic(const char *line, const char *line_end)
{
    const char *at = memmem(line, (size_t)(line_end - line), "topic=", 6);
    if (!at) {
        return topic_id("bench", 5);
    }
    at += 6;
    const char *end = at;
    while (end < line_end && *end != ' ' && *end != '&') {
        end++;
    }
    return topic_id(at, (size_t)(end - at));
}

static const char *header_value(const char *head, const char *head_end, const char *name, size_t *length)
{
    size_t name_length = strlen(name);
    for (const char *line = head; line < head_end;) {
        const char *end = memmem(line, (size_t)(head_end - line), "\r\n", 2);
        if (!end) {
            end = head_end;
        }
        if ((size_t)(end - line) > name_length && strncasecmp(line, name, name_length) == 0 && line[name_length] == ':') {
            const char *value = line + name_length + 1;
            while (value < end && *value == ' ') {
                value++;
            }
            *length = (size_t)(end - value);
            return value;
        }
        line = end + 2;
    }
    return NULL;
}

static void write_all(int fd, const void *data, size_t length)
{
    const uint8_t *p = data;
    while (length > 0) {
        ssize_t n = write(fd, p, length);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                continue;
            }
            return;
        }
        p += n;
        length -= (size_t)n;
    }
}

static int upgrade(int epoll, struct connection *c, const char *head_end)
{
    size_t key_length;
    const char *key = header_value(c->request, head_end, "Sec-WebSocket-Key", &key_length);
    if (!key || key_length > 64) {
        return 0;
    }
    const char *line_end = memmem(c->request, (size_t)(head_end - c->request), "\r\n", 2);
    uint32_t topic = request_topic(c->request, line_end);
    char joined[128];
    memcpy(joined, key, key_length);
    memcpy(joined + key_length, "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", 36);
    uint8_t digest[20];
    sha1((const uint8_t *)joined, key_length + 36, digest);
    char accept[32];
    base64(digest, 20, accept);
    char answer[256];
    int n = snprintf(answer, sizeof answer,
                     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Accept: %s\r\n\r\n\x81\x12{\"type\":\"welcome\"}",
                     accept);
    write_all(c->fd, answer, (size_t)n);
    epoll_ctl(epoll, EPOLL_CTL_DEL, c->fd, NULL);
    struct subscriber *s = calloc(1, sizeof *s);
    s->fd = c->fd;
    s->topic = topic;
    struct writer *w = &writers[c->fd % writer_count];
    pthread_mutex_lock(&w->lock);
    w->incoming = grow(w->incoming, &w->incoming_capacity, sizeof(struct subscriber *), w->incoming_count + 1);
    w->incoming[w->incoming_count++] = s;
    pthread_mutex_unlock(&w->lock);
    uint64_t one = 1;
    ssize_t ignored = write(w->wake, &one, sizeof one);
    (void)ignored;
    free(c);
    return 1;
}

/* Handles every whole request in the buffer. Returns 0 to close, 1 to keep reading, 2 when the socket was handed over. */
static int serve(int epoll, struct connection *c)
{
    for (;;) {
        char *head_end = memmem(c->request, c->length, "\r\n\r\n", 4);
        if (!head_end) {
            return c->length < REQUEST_MAX ? 1 : 0;
        }
        if (strncmp(c->request, "GET /ws", 7) == 0) {
            return upgrade(epoll, c, head_end) ? 2 : 0;
        }
        size_t value_length = 0;
        const char *value = header_value(c->request, head_end, "Content-Length", &value_length);
        size_t body_length = value ? strtoul(value, NULL, 10) : 0;
        size_t head_length = (size_t)(head_end + 4 - c->request);
        if (head_length + body_length > REQUEST_MAX) {
            return 0;
        }
        if (c->length < head_length + body_length) {
            return 1;
        }
        const char *body = c->request + head_length;
        if (strncmp(c->request, "POST /publish", 13) == 0 && body_length > 0 && body[0] != '[') {
            const char *line_end = memmem(c->request, head_length, "\r\n", 2);
            append(request_topic(c->request, line_end), "{\"type\":\"event\",\"data\":", (const uint8_t *)body, body_length, "}");
            wake_writers();
            write_all(c->fd, "HTTP/1.1 204 No Content\r\n\r\n", 27);
        } else {
            write_all(c->fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 45);
        }
        memmove(c->request, c->request + head_length + body_length, c->length - head_length - body_length);
        c->length -= head_length + body_length;
    }
}

int main(int argc, char **argv)
{
    int port = 5100;
    double heartbeat = 10;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--port") == 0) {
            port = atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "--heartbeat") == 0) {
            heartbeat = atof(argv[i + 1]);
        } else if (strcmp(argv[i], "--writers") == 0) {
            writer_count = atoi(argv[i + 1]);
        }
    }
    if (writer_count < 1 || writer_count > MAX_WRITERS) {
        fprintf(stderr, "floor: --writers is 1 to %d\n", MAX_WRITERS);
        return 2;
    }
    log_bytes = malloc(LOG_BYTES);
    log_frames = malloc(sizeof(struct frame) * LOG_FRAMES);
    if (!log_bytes || !log_frames) {
        die("malloc");
    }

    for (int i = 0; i < writer_count; i++) {
        struct writer *w = &writers[i];
        w->epoll = epoll_create1(0);
        w->wake = eventfd(0, EFD_NONBLOCK);
        w->topics = calloc(MAX_TOPICS, sizeof(struct topic_list));
        w->touched = calloc(MAX_TOPICS, sizeof(uint32_t));
        pthread_mutex_init(&w->lock, NULL);
        struct epoll_event event = {.events = EPOLLIN, .data.ptr = NULL};
        epoll_ctl(w->epoll, EPOLL_CTL_ADD, w->wake, &event);
        if (pthread_create(&w->thread, NULL, writer_loop, w) != 0) {
            die("pthread_create");
        }
    }

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 4096) != 0) {
        die("listen");
    }

    int epoll = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = &listener};
    epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);
    int stdin_fd = 0;
    event.data.ptr = &stdin_fd;
    epoll_ctl(epoll, EPOLL_CTL_ADD, 0, &event);
    int timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct itimerspec every = {0};
    every.it_interval.tv_sec = (time_t)heartbeat;
    every.it_interval.tv_nsec = (long)((heartbeat - (double)(time_t)heartbeat) * 1e9);
    every.it_value = every.it_interval;
    timerfd_settime(timer, 0, &every, NULL);
    event.data.ptr = &timer;
    epoll_ctl(epoll, EPOLL_CTL_ADD, timer, &event);

    printf("listening http://127.0.0.1:%d\n", port);
    fflush(stdout);

    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(epoll, events, 256, -1);
        for (int i = 0; i < n; i++) {
            void *tag = events[i].data.ptr;
            if (tag == &stdin_fd) {
                char scratch[256];
                if (read(0, scratch, sizeof scratch) <= 0) {
                    return 0;
                }
            } else if (tag == &timer) {
                uint64_t expirations;
                ssize_t ignored = read(timer, &expirations, sizeof expirations);
                (void)ignored;
                append(ALL_TOPICS, "{\"type\":\"ping\"}", (const uint8_t *)"", 0, "");
                wake_writers();
            } else if (tag == &listener) {
                for (;;) {
                    int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
                    if (fd < 0) {
                        break;
                    }
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
                    struct connection *c = malloc(sizeof *c);
                    c->fd = fd;
                    c->length = 0;
                    struct epoll_event e = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
                    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &e);
                }
            } else {
                struct connection *c = tag;
                ssize_t r = read(c->fd, c->request + c->length, REQUEST_MAX - c->length);
                int state = 0;
                if (r > 0) {
                    c->length += (size_t)r;
                    state = serve(epoll, c);
                } else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                    state = 1;
                }
                if (state == 0) {
                    epoll_ctl(epoll, EPOLL_CTL_DEL, c->fd, NULL);
                    close(c->fd);
                    free(c);
                }
            }
        }
    }
}
