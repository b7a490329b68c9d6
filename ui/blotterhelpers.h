#pragma once

// What the blotter panels (orders, fills, balances) share: the table's look, the symbol
// filter combo, and writing a model to a CSV file. GUI thread.

#include <QStringList>

class QAbstractItemModel;
class QComboBox;
class QTableView;
class QWidget;

namespace ui {

// Row selection, no grid, compact fixed-height rows, sortable header, interactive widths.
void setUpBlotterView(QTableView *view);

// An "All symbols" entry (empty data) followed by `symbols`; keeps the current choice.
void setSymbolChoices(QComboBox *combo, const QStringList &symbols);

// Writes the model as CSV to `path`, atomically (QSaveFile). On failure returns false and,
// when `error` is given, the reason in words.
bool saveCsv(const QAbstractItemModel &model, const QString &path, QString *error = nullptr);

// Asks for a file name (starting from `baseName`-<timestamp>.csv) and saves; a failure is
// shown in a message box. Returns the path written, or empty.
QString exportCsvWithDialog(QWidget *parent, const QAbstractItemModel &model,
                            const QString &baseName);

} // namespace ui
