#include "blotterhelpers.h"

#include "model/csvexport.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QMessageBox>
#include <QSaveFile>
#include <QTableView>

using namespace Qt::StringLiterals;

namespace ui {

void setUpBlotterView(QTableView *view) {
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setSortingEnabled(true);
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setSectionsMovable(true);
}

void setSymbolChoices(QComboBox *combo, const QStringList &symbols) {
    const QString current = combo->currentData().toString();
    QStringList have;
    for (int i = 1; i < combo->count(); ++i)
        have.append(combo->itemData(i).toString());
    if (combo->count() > 0 && have == symbols)
        return;
    // Rebuilding the items must not look like the user picking a symbol.
    QSignalBlocker block(combo);
    combo->clear();
    combo->addItem(u"All symbols"_s, QString());
    for (const QString &s : symbols)
        combo->addItem(s, s);
    const int index = combo->findData(current);
    combo->setCurrentIndex(index >= 0 ? index : 0);
    block.unblock();
    // The chosen symbol went away (a reset): the filter must follow to "All symbols".
    if (index < 0 && !current.isEmpty())
        Q_EMIT combo->currentIndexChanged(0);
}

bool saveCsv(const QAbstractItemModel &model, const QString &path, QString *error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    if (!model::exportCsv(model, file) || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

QString exportCsvWithDialog(QWidget *parent, const QAbstractItemModel &model,
                            const QString &baseName) {
    const QString suggested = QDir::home().filePath(QString(
        baseName + u'-' + QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s) + u".csv"_s));
    const QString path = QFileDialog::getSaveFileName(parent, u"Export CSV"_s, suggested,
                                                      u"CSV files (*.csv);;All files (*)"_s);
    if (path.isEmpty())
        return {};
    QString error;
    if (!saveCsv(model, path, &error)) {
        QMessageBox::warning(parent, u"Export CSV"_s,
                             QString(u"Could not write "_s + path + u": "_s + error));
        return {};
    }
    return path;
}

} // namespace ui
