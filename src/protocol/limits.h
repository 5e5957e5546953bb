#pragma once

#include <QtGlobal>

namespace tktalk::protocol {

/// Size limits of the wire format (RFC 1459 section 2.3, IRCv3 message-tags).
/// The 512-byte line limit covers everything after the tags, CR LF included.
constexpr qsizetype kMaxLineBytes = 512;
/// The same limit without the CR LF terminator.
constexpr qsizetype kMaxLineBodyBytes = kMaxLineBytes - 2;
/// Tags are budgeted apart: '@', the tags and the space after them.
constexpr qsizetype kMaxTagsBytes = 8191;
/// The most a framer buffers for one unfinished line before giving up on the peer.
constexpr qsizetype kMaxFramedLineBytes = kMaxTagsBytes + kMaxLineBytes;
/// What a client accepts after the tags from a server. The 512-byte limit is on what a client
/// sends: a relayed message carries the sender's nick!user@host on top of up to 510 bytes it was
/// sent with (tktalk and Ergo relay such lines whole), and some servers send longer numerics.
/// 4 KiB takes all of them and still bounds what one line may cost.
constexpr qsizetype kMaxReceivedLineBodyBytes = 4096;

constexpr qsizetype kMaxNickBytes = 30;
constexpr qsizetype kMaxChannelBytes = 50;
constexpr qsizetype kMaxTopicBytes = 390;
constexpr qsizetype kMaxUserBytes = 10;
constexpr qsizetype kMaxAwayBytes = 200;
/// Real names (USER, SETNAME; ISUPPORT NAMELEN), so that replies carrying them (WHOIS, WHO) stay
/// within a line.
constexpr qsizetype kMaxRealNameBytes = 150;
constexpr qsizetype kMaxKickBytes = 255;
/// RFC 1459 allows at most 15 parameters in one message.
constexpr int kMaxParams = 15;

} // namespace tktalk::protocol
