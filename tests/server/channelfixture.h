#pragma once

// Shared by the channel-operator tests (tst_channelmodes, tst_channelrules, tst_bans,
// tst_kickinvite): three members of #lobby, alice its operator, and dave outside it.

#include "testserver.h"

#include <QByteArrayList>

namespace tktalk::test {

/**
 * @brief alice, bob and carol in #lobby, which alice founded (so she is its operator); dave is
 * registered but in no channel. ready() leaves every client's cursor past the joins.
 */
struct ChannelFixture
{
    explicit ChannelFixture(server::ServerConfig config = testServerConfig())
        : server(std::move(config))
    {}

    bool ready()
    {
        alice = server.registeredClient("alice");
        bob = server.registeredClient("bob");
        carol = server.registeredClient("carol");
        dave = server.registeredClient("dave");
        if (!alice || !bob || !carol || !dave)
            return false;
        dave->sendLine("PART #lobby");
        if (!dave->waitForCommand("PART"))
            return false;
        return settle();
    }

    /// Every client: a round trip, then the cursor to the end.
    bool settle()
    {
        for (TestIrcClient *client : all()) {
            if (!client->sync())
                return false;
            client->skipReceived();
        }
        return true;
    }

    /// alice sets @p modes on #lobby; every member has seen it and every cursor is past it.
    bool setModes(const QByteArray &modes)
    {
        alice->sendLine("MODE #lobby " + modes);
        return alice->waitForCommand("MODE").has_value() && settle();
    }

    QList<TestIrcClient *> all() const { return {alice.get(), bob.get(), carol.get(), dave.get()}; }

    TestServer server;
    std::unique_ptr<TestIrcClient> alice, bob, carol, dave;
};

/**
 * What @p client received since its cursor, proved complete by a sync() round trip, one line per
 * message: "alice MODE #lobby +o bob" for what users did, "482 #lobby" for numerics (the target
 * nick and the last parameter left out, unless it is data rather than a text or a timestamp).
 */
inline QByteArrayList seen(TestIrcClient &client)
{
    const auto messages = client.sync();
    if (!messages)
        return {"<no answer to the sync>"};
    // Timestamps (329, 333, and the last of 367/348/346) are left out with the texts.
    static const QByteArrayList numericsEndingInData{"319", "324", "332", "336", "341", "352", "353",
                                                     "354", "730", "731", "732"};
    QByteArrayList lines;
    for (const protocol::Message &m : *messages) {
        const bool numeric = m.command.size() == 3 && m.command.at(0) >= '0' && m.command.at(0) <= '9';
        if (!numeric) {
            lines << (m.sourceNick() + ' ' + m.command + ' ' + m.params.join(' ')).trimmed();
            continue;
        }
        QByteArrayList params = m.params.mid(1);
        if (!numericsEndingInData.contains(m.command) && !params.isEmpty())
            params.removeLast();
        lines << (m.command + ' ' + params.join(' ')).trimmed();
    }
    return lines;
}

/// The lines of @p lines that contain @p part.
inline QByteArrayList containing(const QByteArrayList &lines, QByteArrayView part)
{
    QByteArrayList found;
    for (const QByteArray &line : lines) {
        if (line.contains(part))
            found << line;
    }
    return found;
}

/// The 005 tokens @p client received at registration.
inline QByteArrayList isupportTokens(const TestIrcClient &client)
{
    QByteArrayList tokens;
    for (const protocol::Message &m : client.received()) {
        if (m.command == "005")
            tokens += m.params.mid(1, m.params.size() - 2);
    }
    return tokens;
}

} // namespace tktalk::test
