#pragma once

#include <QString>

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
    };
    Kind kind = Kind::None;
    QString target; ///< nick for Private/Nick, room for Join
    QString text;   ///< message, action, or quit reason
    QString error;  ///< for Invalid: a sentence for the user
};

/// Parses one line of input. `/@`, `/u` and `.exit` keep the meaning they had in the first tktalk;
/// the rest are the usual IRC client commands. A line starting with `//` sends the text after one `/`.
InputCommand parseInput(const QString &line);

/// The help text shown by `/help`, one command per line.
QStringList inputHelp();

} // namespace tktalk::client
