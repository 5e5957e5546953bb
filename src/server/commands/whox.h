#pragma once

#include <QByteArray>

#include <optional>

namespace tktalk::server {

class Channel;
class ClientSession;

namespace commands {

/// @brief What a WHOX request (WHO <mask> %<fields>[,<token>]) asked for.
struct WhoxQuery
{
    QByteArray fields; ///< the field letters, in the order given; unknown ones are ignored
    QByteArray token;  ///< returned in each reply when the fields hold 't'
};

/**
 * The WHOX request in WHO's second parameter ("%fields[,token]", flags before the '%' ignored), or
 * nullopt when there is none and WHO answers with 352 as it always has.
 */
std::optional<WhoxQuery> parseWhox(const QByteArray &options);
/// True if @p query may be answered: a 't' field comes with a token of one to three digits.
bool hasValidToken(const WhoxQuery &query);

/// The WHO flags of @p user as @p viewer sees them: H (here) or G (gone), then in @p channel its
/// prefix there ("@", or "@+" with multi-prefix).
QByteArray whoFlags(const ClientSession &viewer, const ClientSession &user, const Channel *channel);

/// 354 with the fields of @p query about @p user, listed in @p channel (nullptr: by nick).
void sendWhoxReply(ClientSession &client, const WhoxQuery &query, const ClientSession &user,
                   const Channel *channel);

} // namespace commands
} // namespace tktalk::server
