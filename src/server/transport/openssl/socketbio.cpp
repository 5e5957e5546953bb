#include "socketbio.h"

#include <openssl/bio.h>

#include <cerrno>

#include <sys/socket.h>

namespace tktalk::server::transport {

namespace {

SocketBioState *stateOf(BIO *bio)
{
    return static_cast<SocketBioState *>(BIO_get_data(bio));
}

bool isTransient(int error)
{
    return error == EAGAIN || error == EWOULDBLOCK || error == EINTR;
}

int readFromSocket(BIO *bio, char *data, int size)
{
    SocketBioState *state = stateOf(bio);
    BIO_clear_retry_flags(bio);
    const ssize_t received = ::recv(state->descriptor, data, size_t(size), 0);
    if (received < 0 && isTransient(errno)) {
        BIO_set_retry_read(bio);
        state->drained = true;
        return -1;
    }
    state->drained = received >= 0 && received < size;
    return int(received);
}

int writeToSocket(BIO *bio, const char *data, int size)
{
    BIO_clear_retry_flags(bio);
    // MSG_NOSIGNAL: a peer that has gone gives EPIPE, not a signal that would end the server.
    const ssize_t sent = ::send(stateOf(bio)->descriptor, data, size_t(size), MSG_NOSIGNAL);
    if (sent < 0 && isTransient(errno))
        BIO_set_retry_write(bio);
    return int(sent);
}

long control(BIO * /*bio*/, int command, long /*number*/, void * /*pointer*/)
{
    // Writes go straight to the kernel: there is nothing to flush and nothing buffered to report.
    return command == BIO_CTRL_FLUSH ? 1 : 0;
}

int create(BIO *bio)
{
    BIO_set_init(bio, 1);
    return 1;
}

const BIO_METHOD *socketMethod()
{
    static BIO_METHOD *const method = [] {
        BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR,
                                     "tktalk socket");
        BIO_meth_set_read(m, readFromSocket);
        BIO_meth_set_write(m, writeToSocket);
        BIO_meth_set_ctrl(m, control);
        BIO_meth_set_create(m, create);
        return m;
    }();
    return method;
}

} // namespace

BIO *newSocketBio(SocketBioState *state)
{
    BIO *bio = BIO_new(socketMethod());
    if (bio)
        BIO_set_data(bio, state);
    return bio;
}

} // namespace tktalk::server::transport
