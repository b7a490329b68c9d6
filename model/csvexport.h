#pragma once

// exportCsv: writes a table model as CSV (RFC 4180: comma separated, CRLF line ends, fields
// with a comma, quote or line break quoted, quotes doubled), UTF-8. The header row is the
// horizontal headerData, the cells their DisplayRole text, so a proxy exports what the
// view shows, in its order and with its filter. Any thread that may read the model.

class QAbstractItemModel;
class QIODevice;

namespace model {

// False when the device is not writable or a write fails.
bool exportCsv(const QAbstractItemModel &model, QIODevice &out);

} // namespace model
