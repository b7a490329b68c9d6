#include "csvexport.h"

#include <QAbstractItemModel>
#include <QIODevice>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace model {

namespace {

QString field(const QString &text) {
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') &&
        !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(u"\""_s, u"\"\""_s);
    return QString(u'"' + quoted + u'"');
}

bool writeLine(QIODevice &out, const QStringList &fields) {
    const QByteArray line = QString(fields.join(u',') + u"\r\n"_s).toUtf8();
    return out.write(line) == line.size();
}

} // namespace

bool exportCsv(const QAbstractItemModel &model, QIODevice &out) {
    if (!out.isWritable())
        return false;
    const int columns = model.columnCount();
    QStringList fields;
    fields.reserve(columns);
    for (int c = 0; c < columns; ++c)
        fields.append(field(model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString()));
    if (!writeLine(out, fields))
        return false;
    const int rows = model.rowCount();
    for (int r = 0; r < rows; ++r) {
        fields.clear();
        for (int c = 0; c < columns; ++c)
            fields.append(field(model.index(r, c).data(Qt::DisplayRole).toString()));
        if (!writeLine(out, fields))
            return false;
    }
    return true;
}

} // namespace model
