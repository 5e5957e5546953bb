#pragma once

#include <string>

namespace tktalk::bench {

/// @brief The load generator's command line.
struct Options
{
    std::string scenario = "fanout"; ///< fanout, direct, idle, connect, churn
    std::string host = "127.0.0.1";
    int port = 6697;
    int clients = 100;         ///< N
    int senders = 10;          ///< S (fanout, churn)
    int window = 16;           ///< messages per sender not yet delivered everywhere
    double rate = 0;           ///< messages/s from all senders together; 0: as fast as the windows allow
    int payloadBytes = 100;
    int messages = 0;          ///< per sender, then stop (for instruction counts); 0: run for --duration
    double warmupSecs = 1;
    double durationSecs = 5;
    double drainSecs = 10;
    double connectTimeoutSecs = 120;
    double holdSecs = 2;       ///< idle: settle time before reading the server's memory
    int churners = 20;         ///< churn: clients that keep joining and leaving
    int sourceAddresses = 1;   ///< connect from k addresses: --first-source and the ones after it
    std::string firstSource = "127.0.0.1";
    char nickPrefix = 'b';     ///< two load generators on one server need different ones
    int maxConnecting = 200;
    int serverPid = 0;         ///< for the server's RSS and CPU time from /proc
    std::string channel = "#bench";
    /// Every client creates an account named after its nick (REGISTER, on a server that allows it)
    /// and is logged in to it before it registers: private messages between accounts are kept in
    /// tktalk's history, a guest's are not.
    bool accounts = false;
};

/// Parses argv; prints usage and exits on an error or --help.
Options parseOptions(int argc, char **argv);

} // namespace tktalk::bench
