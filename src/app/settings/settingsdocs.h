#pragma once

#include "setting.h"

namespace tktalk::app::settings {

/// The text of the setting's option in --help: its scope, its help and its default.
QString optionHelp(const Setting &setting);

/// Which commented example configuration file to write.
enum class ExampleFor {
    Anyone, ///< `tktalk --print-config-example`: every setting commented out at its default
    Package ///< installer/linux/tktalk.conf: the same, with the system service's data directory set
};
/// A configuration file that lists every server setting with its help, commented out.
QString configExample(ExampleFor target);

/// @p manPage (docs/tktalk.1) with the part between its "BEGIN GENERATED OPTIONS" and "END
/// GENERATED OPTIONS" comments replaced by the options as the table describes them; empty when
/// the markers are missing.
QString manPageWithOptions(const QString &manPage);

} // namespace tktalk::app::settings
