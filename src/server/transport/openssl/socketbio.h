#pragma once

using BIO = struct bio_st;

namespace tktalk::server::transport {

/**
 * @brief What a socket BIO knows about its socket: the descriptor, and whether the last read
 * emptied it.
 */
struct SocketBioState
{
    int descriptor = -1;
    /// The last recv() returned less than asked for: the kernel had nothing more. Reading again
    /// now would only cost a system call that fails with EAGAIN.
    bool drained = false;
};

/**
 * A BIO over a non-blocking TCP socket, like OpenSSL's own socket BIO, that also records in
 * @p state whether a read drained the socket. @p state must outlive the BIO.
 */
BIO *newSocketBio(SocketBioState *state);

} // namespace tktalk::server::transport
