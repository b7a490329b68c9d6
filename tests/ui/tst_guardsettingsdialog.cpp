// GuardSettingsDialog offscreen: the fields show the given guards and fee rates exactly (at
// their own scale); typed values come back as exact Decimals (scale kept, empty guard = off);
// negative, non-numeric, empty-fee and absurd-fee input puts a red message under the field and
// disables OK (and Enter or accept() cannot get past it); edit() loads from and saves to a
// QSettings INI file per profile, and Cancel saves nothing and leaves the outputs alone; every
// input has an accessible name and the dialog explains the guards.

#include "tests/core/testsupport.h"
#include "ui/guardsettingsdialog.h"
#include "ui/guardsettingsstore.h"
#include "ui/orderconfirmdialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace Qt::StringLiterals;
using kraken::Decimal;
using testsupport::dec;

namespace {

// Schedules `act` to run on the dialog edit() opens, once it is the visible modal widget
// (exec() blocks the caller, so the test acts from inside its event loop). Whatever `act`
// leaves open, including after a failed check inside it, is rejected so exec() returns and
// the test fails instead of hanging.
void whenDialogOpens(std::function<void(ui::GuardSettingsDialog *)> act, bool *seen) {
    QTimer::singleShot(0, [act, seen] {
        const auto modal = [] {
            auto *d = qobject_cast<ui::GuardSettingsDialog *>(QApplication::activeModalWidget());
            return d && d->isVisible() ? d : nullptr;
        };
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(modal() != nullptr, 10000);
            *seen = true;
            act(modal());
        }();
        if (auto *d = qobject_cast<QDialog *>(QApplication::activeModalWidget()))
            d->reject();
    });
}

void retype(QLineEdit *edit, const QString &text) {
    edit->clear();
    QTest::keyClicks(edit, text);
}

// Two Decimals with the same value and the same scale: "0.40" must not come back as "0.4".
bool same(const Decimal &a, const Decimal &b) {
    return a.identical(b);
}

} // namespace

class TestGuardSettingsDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fieldsShowGivenSettings();
    void editingProducesExactDecimals();
    void invalidInputDisablesOk_data();
    void invalidInputDisablesOk();
    void enterCannotAcceptInvalidInput();
    void everyInputHasAnAccessibleName();
    void editRoundTripThroughSettings();
    void cancelSavesNothing();

private:
    static QLineEdit *field(QWidget *dialog, const QString &name) {
        return dialog->findChild<QLineEdit *>(name);
    }
    static QLabel *message(QWidget *dialog, const QString &name) {
        return dialog->findChild<QLabel *>(QString(u"message."_s + name));
    }
    static QCheckBox *confirmBox(QWidget *dialog) {
        return dialog->findChild<QCheckBox *>(u"confirmEveryOrder"_s);
    }
};

void TestGuardSettingsDialog::fieldsShowGivenSettings() {
    model::GuardSettings guards;
    guards.maxNotional = dec("2500.50");
    guards.maxPriceDeviationPct = dec("1.250");
    guards.confirmEveryOrder = false;
    model::FeeRates fees;
    fees.makerPct = dec("0.16");
    fees.takerPct = dec("0.2600");
    ui::GuardSettingsDialog dialog(u"paper"_s, guards, fees);
    dialog.show();

    QCOMPARE(field(&dialog, u"maxNotional"_s)->text(), u"2500.50"_s);
    QCOMPARE(field(&dialog, u"maxPriceDeviationPct"_s)->text(), u"1.250"_s);
    QCOMPARE(field(&dialog, u"makerPct"_s)->text(), u"0.16"_s);
    QCOMPARE(field(&dialog, u"takerPct"_s)->text(), u"0.2600"_s);
    QVERIFY(!confirmBox(&dialog)->isChecked());
    QVERIFY(dialog.okButton()->isEnabled());
    QVERIFY(dialog.windowTitle().contains(u"paper"_s));

    // Untouched, the getters give back exactly what came in.
    QCOMPARE(dialog.guards(), guards);
    QCOMPARE(dialog.fees(), fees);
    QVERIFY(same(dialog.guards().maxPriceDeviationPct, dec("1.250")));
    QVERIFY(same(dialog.fees().takerPct, dec("0.2600")));

    // The defaults (starter tier) show as Kraken writes them.
    ui::GuardSettingsDialog defaults(u"live"_s, model::GuardSettings(), model::FeeRates());
    QCOMPARE(field(&defaults, u"maxNotional"_s)->text(), u"10000"_s);
    QCOMPARE(field(&defaults, u"maxPriceDeviationPct"_s)->text(), u"5"_s);
    QCOMPARE(field(&defaults, u"makerPct"_s)->text(), u"0.25"_s);
    QCOMPARE(field(&defaults, u"takerPct"_s)->text(), u"0.40"_s);
    QVERIFY(confirmBox(&defaults)->isChecked());
}

void TestGuardSettingsDialog::editingProducesExactDecimals() {
    ui::GuardSettingsDialog dialog(u"paper"_s, model::GuardSettings(), model::FeeRates());
    dialog.show();

    retype(field(&dialog, u"maxNotional"_s), u"12345.678901"_s);
    retype(field(&dialog, u"maxPriceDeviationPct"_s), u"0.75"_s);
    retype(field(&dialog, u"makerPct"_s), u"0.0800"_s);
    retype(field(&dialog, u"takerPct"_s), u" 0.1 "_s);   // surrounding blanks are ignored
    QTest::keyClick(confirmBox(&dialog), Qt::Key_Space); // as a keyboard user would
    QVERIFY(dialog.okButton()->isEnabled());

    const model::GuardSettings g = dialog.guards();
    QVERIFY2(same(g.maxNotional, dec("12345.678901")), qPrintable(g.maxNotional.toString()));
    QVERIFY2(same(g.maxPriceDeviationPct, dec("0.75")),
             qPrintable(g.maxPriceDeviationPct.toString()));
    QVERIFY(!g.confirmEveryOrder);
    const model::FeeRates f = dialog.fees();
    QVERIFY2(same(f.makerPct, dec("0.0800")), qPrintable(f.makerPct.toString()));
    QVERIFY2(same(f.takerPct, dec("0.1")), qPrintable(f.takerPct.toString()));

    // A value double would mangle (0.1 + 0.2 territory, 18 places) comes back digit for digit.
    retype(field(&dialog, u"maxNotional"_s), u"0.300000000000000004"_s);
    QVERIFY(same(dialog.guards().maxNotional, dec("0.300000000000000004")));

    // Empty or 0 switches a guard off, and both are valid.
    retype(field(&dialog, u"maxNotional"_s), QString());
    retype(field(&dialog, u"maxPriceDeviationPct"_s), u"0"_s);
    QVERIFY(dialog.okButton()->isEnabled());
    QVERIFY(dialog.guards().maxNotional.isZero());
    QVERIFY(dialog.guards().maxPriceDeviationPct.isZero());
    QVERIFY(message(&dialog, u"maxNotional"_s)->isHidden());

    // A zero fee rate is allowed when typed (a promotion, a zero-fee pair).
    retype(field(&dialog, u"makerPct"_s), u"0"_s);
    QVERIFY(dialog.okButton()->isEnabled());
    QVERIFY(dialog.fees().makerPct.isZero());
}

void TestGuardSettingsDialog::invalidInputDisablesOk_data() {
    QTest::addColumn<QString>("fieldName");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // part of the message

    QTest::newRow("negative notional") << u"maxNotional"_s << u"-100"_s << u"negative"_s;
    QTest::newRow("word notional") << u"maxNotional"_s << u"lots"_s << u"not a number"_s;
    QTest::newRow("comma notional") << u"maxNotional"_s << u"1,000"_s << u"not a number"_s;
    QTest::newRow("negative deviation") << u"maxPriceDeviationPct"_s << u"-0.5"_s << u"negative"_s;
    QTest::newRow("two points deviation")
        << u"maxPriceDeviationPct"_s << u"1.2.3"_s << u"not a number"_s;
    QTest::newRow("percent sign") << u"maxPriceDeviationPct"_s << u"5%"_s << u"not a number"_s;
    QTest::newRow("negative maker") << u"makerPct"_s << u"-0.1"_s << u"negative"_s;
    QTest::newRow("empty maker") << u"makerPct"_s << QString() << u"Enter a rate"_s;
    QTest::newRow("word taker") << u"takerPct"_s << u"abc"_s << u"not a number"_s;
    QTest::newRow("taker above 100") << u"takerPct"_s << u"150"_s << u"above 100"_s;
    QTest::newRow("too many places")
        << u"takerPct"_s << u"0.1234567890123456789"_s << u"not a number"_s;
}

void TestGuardSettingsDialog::invalidInputDisablesOk() {
    QFETCH(QString, fieldName);
    QFETCH(QString, text);
    QFETCH(QString, expected);

    model::GuardSettings guards;
    model::FeeRates fees;
    ui::GuardSettingsDialog dialog(u"paper"_s, guards, fees);
    dialog.show();
    QLineEdit *edit = field(&dialog, fieldName);
    QVERIFY(edit);
    const QString original = edit->text();

    retype(edit, text);
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY(!dialog.isInputValid());
    QLabel *msg = message(&dialog, fieldName);
    QVERIFY(msg);
    QVERIFY(msg->isVisible());
    QVERIFY2(msg->text().contains(expected, Qt::CaseInsensitive), qPrintable(msg->text()));
    // Red, the colour the ticket uses for hard errors.
    QCOMPARE(msg->palette().color(QPalette::WindowText),
             ui::OrderConfirmDialog::errorColour(dialog.palette()));
    // The other fields carry no message.
    for (const QString &other :
         {u"maxNotional"_s, u"maxPriceDeviationPct"_s, u"makerPct"_s, u"takerPct"_s}) {
        if (other != fieldName)
            QVERIFY2(message(&dialog, other)->isHidden(), qPrintable(other));
    }
    // The invalid field contributes the value the dialog was opened with, never a zero.
    QCOMPARE(dialog.guards(), guards);
    QCOMPARE(dialog.fees(), fees);

    // Fixing it clears the message and enables OK again.
    retype(edit, original);
    QVERIFY(dialog.okButton()->isEnabled());
    QVERIFY(msg->isHidden());
}

void TestGuardSettingsDialog::enterCannotAcceptInvalidInput() {
    ui::GuardSettingsDialog dialog(u"paper"_s, model::GuardSettings(), model::FeeRates());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QLineEdit *edit = field(&dialog, u"maxNotional"_s);
    retype(edit, u"-1"_s);
    QVERIFY(!dialog.okButton()->isEnabled());

    QTest::keyClick(edit, Qt::Key_Return);
    QVERIFY(dialog.isVisible());
    dialog.accept();
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));

    retype(edit, u"500"_s);
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_VERIFY(!dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void TestGuardSettingsDialog::everyInputHasAnAccessibleName() {
    ui::GuardSettingsDialog dialog(u"paper"_s, model::GuardSettings(), model::FeeRates());
    dialog.show();
    QVERIFY(!dialog.accessibleName().isEmpty());
    const auto edits = dialog.findChildren<QLineEdit *>();
    QCOMPARE(edits.size(), 4);
    for (QLineEdit *e : edits)
        QVERIFY2(!e->accessibleName().isEmpty(), qPrintable(e->objectName()));
    const auto boxes = dialog.findChildren<QCheckBox *>();
    QCOMPARE(boxes.size(), 1);
    QVERIFY(!boxes.first()->accessibleName().isEmpty());
    for (QPushButton *b : dialog.findChildren<QPushButton *>())
        QVERIFY2(!b->accessibleName().isEmpty(), qPrintable(b->text()));
    for (QLabel *l : dialog.findChildren<QLabel *>()) {
        if (l->objectName().startsWith(u"message."_s))
            QVERIFY2(!l->accessibleName().isEmpty(), qPrintable(l->objectName()));
    }

    // The explanation says what the guards do and what switching confirmation off means.
    auto *explanation = dialog.findChild<QLabel *>(u"explanation"_s);
    QVERIFY(explanation);
    QVERIFY(!explanation->accessibleName().isEmpty());
    QVERIFY(explanation->text().contains(u"I understand"_s));
    QVERIFY(explanation->text().contains(u"sent at once"_s));
    QVERIFY(explanation->text().contains(u"paper"_s));
}

void TestGuardSettingsDialog::editRoundTripThroughSettings() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"krakenterm.ini"_s);

    model::GuardSettings guards;
    model::FeeRates fees;
    bool seen = false;
    {
        QSettings settings(path, QSettings::IniFormat);
        // Never saved: the dialog opens on the defaults; the trader types new values.
        whenDialogOpens(
            [](ui::GuardSettingsDialog *d) {
                QCOMPARE(field(d, u"maxNotional"_s)->text(), u"10000"_s);
                QCOMPARE(field(d, u"takerPct"_s)->text(), u"0.40"_s);
                retype(field(d, u"maxNotional"_s), u"2500.50"_s);
                retype(field(d, u"maxPriceDeviationPct"_s), u"1.250"_s);
                retype(field(d, u"makerPct"_s), u"0.16"_s);
                retype(field(d, u"takerPct"_s), u"0.2600"_s);
                QTest::keyClick(confirmBox(d), Qt::Key_Space); // as a keyboard user would
                QVERIFY(d->okButton()->isEnabled());
                QTest::mouseClick(d->okButton(), Qt::LeftButton);
            },
            &seen);
        QVERIFY(ui::GuardSettingsDialog::edit(&settings, u"live/main"_s, nullptr, &guards, &fees));
        QVERIFY(seen);
    }
    if (QTest::currentTestFailed())
        return;
    QVERIFY(same(guards.maxNotional, dec("2500.50")));
    QVERIFY(same(guards.maxPriceDeviationPct, dec("1.250")));
    QVERIFY(!guards.confirmEveryOrder);
    QVERIFY(same(fees.makerPct, dec("0.16")));
    QVERIFY(same(fees.takerPct, dec("0.2600")));

    // A fresh QSettings on the same file reads back exactly that, for that profile only.
    {
        QSettings settings(path, QSettings::IniFormat);
        ui::GuardSettingsStore store(&settings);
        const model::GuardSettings g = store.load(u"live/main"_s);
        const model::FeeRates f = store.loadFees(u"live/main"_s);
        QCOMPARE(g, guards);
        QCOMPARE(f, fees);
        QVERIFY(same(g.maxNotional, dec("2500.50")));
        QVERIFY(same(f.takerPct, dec("0.2600")));
        QCOMPARE(store.load(u"paper"_s), model::GuardSettings());
        QCOMPARE(store.loadFees(u"paper"_s), model::FeeRates());
    }

    // Opening it again shows the saved values; OK without changes keeps them.
    seen = false;
    {
        QSettings settings(path, QSettings::IniFormat);
        whenDialogOpens(
            [](ui::GuardSettingsDialog *d) {
                QCOMPARE(field(d, u"maxNotional"_s)->text(), u"2500.50"_s);
                QCOMPARE(field(d, u"maxPriceDeviationPct"_s)->text(), u"1.250"_s);
                QCOMPARE(field(d, u"makerPct"_s)->text(), u"0.16"_s);
                QCOMPARE(field(d, u"takerPct"_s)->text(), u"0.2600"_s);
                QVERIFY(!confirmBox(d)->isChecked());
                QTest::mouseClick(d->okButton(), Qt::LeftButton);
            },
            &seen);
        model::GuardSettings again;
        model::FeeRates againFees;
        QVERIFY(
            ui::GuardSettingsDialog::edit(&settings, u"live/main"_s, nullptr, &again, &againFees));
        QVERIFY(seen);
        QCOMPARE(again, guards);
        QCOMPARE(againFees, fees);
    }
}

void TestGuardSettingsDialog::cancelSavesNothing() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"krakenterm.ini"_s);

    // A profile never saved: Cancel leaves the file without a single key.
    {
        QSettings settings(path, QSettings::IniFormat);
        bool seen = false;
        whenDialogOpens(
            [](ui::GuardSettingsDialog *d) {
                retype(field(d, u"maxNotional"_s), u"1"_s);
                QTest::mouseClick(d->findChild<QPushButton *>(u"cancel"_s), Qt::LeftButton);
            },
            &seen);
        model::GuardSettings guards;
        guards.maxNotional = dec("777");
        const model::GuardSettings before = guards;
        QVERIFY(!ui::GuardSettingsDialog::edit(&settings, u"paper"_s, nullptr, &guards, nullptr));
        QVERIFY(seen);
        QCOMPARE(guards, before); // the output is untouched
        settings.sync();
        QVERIFY2(settings.allKeys().isEmpty(), qPrintable(settings.allKeys().join(u", "_s)));
    }

    // A saved profile: Cancel (here Esc) after edits keeps the saved values.
    model::GuardSettings saved;
    saved.maxNotional = dec("3000.0");
    saved.maxPriceDeviationPct = dec("2");
    saved.confirmEveryOrder = true;
    model::FeeRates savedFees;
    savedFees.makerPct = dec("0.10");
    savedFees.takerPct = dec("0.20");
    {
        QSettings settings(path, QSettings::IniFormat);
        ui::GuardSettingsStore store(&settings);
        store.save(u"paper"_s, saved);
        store.saveFees(u"paper"_s, savedFees);
    }
    {
        QSettings settings(path, QSettings::IniFormat);
        bool seen = false;
        whenDialogOpens(
            [](ui::GuardSettingsDialog *d) {
                retype(field(d, u"maxNotional"_s), u"99999"_s);
                retype(field(d, u"takerPct"_s), u"1"_s);
                QTest::keyClick(confirmBox(d), Qt::Key_Space); // as a keyboard user would
                QTest::keyClick(d, Qt::Key_Escape);
            },
            &seen);
        model::GuardSettings guards;
        model::FeeRates fees;
        fees.takerPct = dec("9.99");
        QVERIFY(!ui::GuardSettingsDialog::edit(&settings, u"paper"_s, nullptr, &guards, &fees));
        QVERIFY(seen);
        QCOMPARE(guards, model::GuardSettings());
        QVERIFY(same(fees.takerPct, dec("9.99")));
    }
    {
        QSettings settings(path, QSettings::IniFormat);
        ui::GuardSettingsStore store(&settings);
        const model::GuardSettings g = store.load(u"paper"_s);
        QCOMPARE(g, saved);
        QVERIFY(same(g.maxNotional, dec("3000.0")));
        QCOMPARE(store.loadFees(u"paper"_s), savedFees);
        QVERIFY(same(store.loadFees(u"paper"_s).makerPct, dec("0.10")));
    }
}

QTEST_MAIN(TestGuardSettingsDialog)
#include "tst_guardsettingsdialog.moc"
