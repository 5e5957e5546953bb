// tktalk-refserver: the least an IRC-over-TLS fan-out server can do, on one core, to mark what the
// hardware allows. Plain epoll + OpenSSL, no framework: NICK/USER -> 001, JOIN/PART, PRIVMSG to a
// channel or a nick, PING, QUIT. Each relayed line is built once and appended to every recipient's
// output buffer; buffers are flushed once per loop turn. No flood control, no validation beyond
// what keeps it from crashing: it is a yardstick for the benchmark, not a server to deploy.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

constexpr size_t kMaxSendQueueBytes = 8u << 20;
constexpr size_t kMaxLineBytes = 8192;
constexpr int kMaxEvents = 512;

struct Conn
{
    int fd = -1;
    SSL *ssl = nullptr;
    bool secured = false, registered = false, closed = false, dirty = false, writeBlocked = false;
    std::string in, out, nick, user, prefix;
    size_t outOffset = 0;
    int why = 0;
    std::vector<std::string> channels;
};

struct Server
{
    SSL_CTX *ctx = nullptr;
    int epoll = -1, listener = -1;
    std::unordered_map<std::string, Conn *> nicks;
    std::unordered_map<std::string, std::vector<Conn *>> channels;
    std::vector<Conn *> dirty, dead;
};

void queue(Server &s, Conn *c, std::string_view line)
{
    if (c->closed)
        return;
    c->out.append(line);
    if (c->out.size() - c->outOffset > kMaxSendQueueBytes) {
        c->closed = true, c->why = 59; // SendQ exceeded: dropped at the end of this turn
        s.dead.push_back(c);
        return;
    }
    if (!c->dirty) {
        c->dirty = true;
        s.dirty.push_back(c);
    }
}

void flush(Conn *c)
{
    c->dirty = false;
    if (c->closed || !c->secured || c->writeBlocked)
        return;
    while (c->outOffset < c->out.size()) {
        ERR_clear_error(); // SSL_get_error() misreads a stale queued error as this call's
        const int n = SSL_write(c->ssl, c->out.data() + c->outOffset, int(c->out.size() - c->outOffset));
        if (n > 0) {
            c->outOffset += size_t(n);
            continue;
        }
        const int e = SSL_get_error(c->ssl, n);
        if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ)
            c->writeBlocked = true;
        else
            c->closed = true, c->why = 84;
        return;
    }
    c->out.clear();
    c->outOffset = 0;
}

void leave(Server &s, Conn *c, const std::string &channel, std::string_view why)
{
    auto it = s.channels.find(channel);
    if (it == s.channels.end())
        return;
    auto &members = it->second;
    members.erase(std::remove(members.begin(), members.end(), c), members.end());
    const std::string line = ":" + c->prefix + " " + std::string(why) + " " + channel + "\r\n";
    for (Conn *m : members)
        queue(s, m, line);
    if (members.empty())
        s.channels.erase(it);
}

void drop(Server &s, Conn *c)
{
    if (std::getenv("REF_DEBUG"))
        std::fprintf(stderr, "drop fd=%d nick=%s why=%d err=%s\n", c->fd, c->nick.c_str(), c->why, ERR_reason_error_string(ERR_peek_error()));
    for (const std::string &channel : c->channels)
        leave(s, c, channel, "PART");
    c->channels.clear();
    auto it = s.nicks.find(c->nick);
    if (it != s.nicks.end() && it->second == c)
        s.nicks.erase(it);
    epoll_ctl(s.epoll, EPOLL_CTL_DEL, c->fd, nullptr);
    ::close(c->fd);
    SSL_free(c->ssl);
    delete c;
}

void handleLine(Server &s, Conn *c, std::string_view line)
{
    const size_t space = line.find(' ');
    const std::string_view cmd = line.substr(0, space);
    std::string_view rest = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
    const size_t colon = rest.find(" :");
    const std::string_view trailing = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 2);
    const std::string arg(rest.substr(0, std::min(rest.find(' '), rest.size())));
    if (cmd == "NICK" || cmd == "USER") {
        if (cmd == "NICK") {
            if (s.nicks.count(arg)) {
                queue(s, c, ":ref 433 * " + arg + " :Nickname is already in use\r\n");
                return;
            }
            c->nick = arg;
            s.nicks[arg] = c;
        } else {
            c->user = arg;
        }
        if (!c->registered && !c->nick.empty() && !c->user.empty()) {
            c->registered = true;
            c->prefix = c->nick + "!" + c->user + "@127.0.0.1";
            queue(s, c, ":ref 001 " + c->nick + " :Welcome\r\n");
        }
    } else if (!c->registered) {
        return;
    } else if (cmd == "PRIVMSG" || cmd == "NOTICE") {
        // The one serialisation of this line, shared by every recipient.
        std::string out = ":" + c->prefix + " " + std::string(cmd) + " " + arg + " :" + std::string(trailing) + "\r\n";
        if (!arg.empty() && arg[0] == '#') {
            auto it = s.channels.find(arg);
            if (it != s.channels.end())
                for (Conn *m : it->second)
                    if (m != c)
                        queue(s, m, out);
        } else if (auto it = s.nicks.find(arg); it != s.nicks.end()) {
            queue(s, it->second, out);
        }
    } else if (cmd == "JOIN" && !arg.empty() && arg[0] == '#') {
        if (std::find(c->channels.begin(), c->channels.end(), arg) != c->channels.end())
            return;
        auto &members = s.channels[arg];
        members.push_back(c);
        c->channels.push_back(arg);
        const std::string join = ":" + c->prefix + " JOIN " + arg + "\r\n";
        for (Conn *m : members)
            queue(s, m, join);
        queue(s, c, ":ref 366 " + c->nick + " " + arg + " :End of /NAMES list.\r\n");
    } else if (cmd == "PART") {
        auto it = std::find(c->channels.begin(), c->channels.end(), arg);
        if (it == c->channels.end())
            return;
        c->channels.erase(it);
        queue(s, c, ":" + c->prefix + " PART " + arg + "\r\n");
        leave(s, c, arg, "PART");
    } else if (cmd == "PING") {
        queue(s, c, ":ref PONG ref :" + std::string(trailing.empty() ? std::string_view(arg) : trailing) + "\r\n");
    } else if (cmd == "QUIT") {
        c->closed = true, c->why = 179;
    }
}

void onReadable(Server &s, Conn *c)
{
    if (!c->secured) {
        ERR_clear_error(); // SSL_get_error() misreads a stale queued error as this call's
        const int rc = SSL_accept(c->ssl);
        if (rc != 1) {
            const int e = SSL_get_error(c->ssl, rc);
            if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
                c->closed = true, c->why = 190;
            return;
        }
        c->secured = true;
    }
    char buffer[16384];
    for (;;) {
        ERR_clear_error(); // SSL_get_error() misreads a stale queued error as this call's
        const int n = SSL_read(c->ssl, buffer, sizeof buffer);
        if (n <= 0) {
            const int e = SSL_get_error(c->ssl, n);
            if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
                c->closed = true, c->why = 201;
            break;
        }
        c->in.append(buffer, size_t(n));
    }
    size_t start = 0;
    for (size_t lf; !c->closed && (lf = c->in.find('\n', start)) != std::string::npos; start = lf + 1) {
        size_t end = lf;
        if (end > start && c->in[end - 1] == '\r')
            --end;
        handleLine(s, c, std::string_view(c->in).substr(start, end - start));
    }
    c->in.erase(0, start);
    if (c->in.size() > kMaxLineBytes)
        c->closed = true, c->why = 215;
}

void acceptAll(Server &s)
{
    for (;;) {
        const int fd = accept4(s.listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        Conn *c = new Conn;
        c->fd = fd;
        c->ssl = SSL_new(s.ctx);
        SSL_set_fd(c->ssl, fd);
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        ev.data.ptr = c;
        epoll_ctl(s.epoll, EPOLL_CTL_ADD, fd, &ev);
    }
}

} // namespace

int main(int argc, char **argv)
{
    int port = 0;
    const char *cert = nullptr, *key = nullptr;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--port")) port = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--cert")) cert = argv[i + 1];
        else if (!std::strcmp(argv[i], "--key")) key = argv[i + 1];
    }
    if (!cert || !key) {
        std::fprintf(stderr, "Usage: tktalk-refserver --cert PEM --key PEM [--port PORT]\n");
        return 2;
    }
    std::signal(SIGPIPE, SIG_IGN);
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    Server s;
    s.ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_mode(s.ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
                                | SSL_MODE_RELEASE_BUFFERS);
    if (SSL_CTX_use_certificate_chain_file(s.ctx, cert) != 1
        || SSL_CTX_use_PrivateKey_file(s.ctx, key, SSL_FILETYPE_PEM) != 1) {
        ERR_print_errors_fp(stderr);
        return 1;
    }
    s.listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    setsockopt(s.listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(uint16_t(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(s.listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
        || listen(s.listener, 4096) != 0
        || getsockname(s.listener, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        std::perror("tktalk-refserver: listen");
        return 1;
    }
    std::fprintf(stderr, "Listening on 127.0.0.1:%d\n", ntohs(address.sin_port));
    s.epoll = epoll_create1(EPOLL_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = nullptr;
    epoll_ctl(s.epoll, EPOLL_CTL_ADD, s.listener, &ev);

    epoll_event events[kMaxEvents];
    for (;;) {
        const int n = epoll_wait(s.epoll, events, kMaxEvents, -1);
        for (int i = 0; i < n; ++i) {
            Conn *c = static_cast<Conn *>(events[i].data.ptr);
            if (!c) {
                acceptAll(s);
                continue;
            }
            if (c->closed)
                continue;
            if (events[i].events & EPOLLOUT && c->writeBlocked) {
                c->writeBlocked = false;
                if (!c->dirty) {
                    c->dirty = true;
                    s.dirty.push_back(c);
                }
            }
            onReadable(s, c);
            if (!c->closed && (events[i].events & (EPOLLHUP | EPOLLERR)))
                c->closed = true, c->why = 308;
            if (c->closed)
                s.dead.push_back(c);
        }
        // Batched writes: one SSL_write per client per turn, however many lines it got.
        for (size_t i = 0; i < s.dirty.size(); ++i) {
            flush(s.dirty[i]);
            if (s.dirty[i]->closed)
                s.dead.push_back(s.dirty[i]);
        }
        s.dirty.clear();
        std::sort(s.dead.begin(), s.dead.end());
        s.dead.erase(std::unique(s.dead.begin(), s.dead.end()), s.dead.end());
        std::vector<Conn *> dead;
        dead.swap(s.dead);
        for (Conn *c : dead)
            drop(s, c);
        // drop() may have queued PARTs for others, and flagged more to drop next turn.
        for (Conn *c : s.dirty) {
            flush(c);
            if (c->closed)
                s.dead.push_back(c);
        }
        s.dirty.clear();
    }
}
