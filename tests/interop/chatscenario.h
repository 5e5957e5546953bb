#pragma once

namespace tktalk::test {

class ExternalClient;

/**
 * Starts tktalk, then @p client next to a scripted one: it registers and is in #lobby, sends a room
 * message, receives a room message and a private one, lists the users, is made a channel operator
 * and moderates the channel (+m), changes nick and quits, while the other side checks each step.
 * Reports through QTest (call from a test slot, then return).
 */
void runChatScenario(ExternalClient &client);

} // namespace tktalk::test
