#pragma once

#include <QString>
#include <QStringList>

namespace tktalk::client {

/// @brief One line the user typed, understood: what to do and with which arguments.
struct InputCommand
{
    enum class Kind {
        None,    ///< empty input: nothing to do
        Say,     ///< plain text to the current room
        Private, ///< `/@nick text` or `/msg nick text`
        Action,  ///< `/me text`
        Who,     ///< `/u`: who is online
        Nick,    ///< `/nick new`
        Join,    ///< `/join #room`
        Quit,    ///< `/quit [reason]`: leave, back to the login screen
        Exit,    ///< `.exit`: leave and close the window
        Help,    ///< `/help`
        Invalid, ///< a command used wrongly or unknown; error says why
        // Running a room (channelcommands.h turns these into IRC): each may name a #room first.
        Op,      ///< `/op nick...`: MODE +o
        Deop,    ///< `/deop nick...`: MODE -o
        Voice,   ///< `/voice nick...`: MODE +v
        Devoice, ///< `/devoice nick...`: MODE -v
        Kick,    ///< `/kick nick [reason]`
        Ban,     ///< `/ban mask...` (a nick bans that nick)
        Unban,   ///< `/unban mask...`
        Mode,    ///< `/mode [+modes [arguments]]`, or `/mode nick [modes]` for user modes
        Topic,   ///< `/topic [text]`: shows the topic, or sets it
        Invite,  ///< `/invite nick [#room]`
    };
    Kind kind = Kind::None;
    QString target; ///< nick for Private/Nick/Kick/Invite, room for Join
    QString text;   ///< message, action, quit or kick reason, topic
    QString error;  ///< for Invalid: a sentence for the user
    QString room;      ///< for the room commands: the #room named, or empty for the current one
    QStringList args;  ///< nicks for Op/Deop/Voice/Devoice, masks for Ban/Unban, Mode's words
};

/// Parses one line of input. `/@`, `/u` and `.exit` keep the meaning they had in the first tktalk;
/// the rest are the usual IRC client commands. A line starting with `//` sends the text after one `/`.
InputCommand parseInput(const QString &line);

/// The help text shown by `/help`, one command per line.
QStringList inputHelp();

} // namespace tktalk::client
