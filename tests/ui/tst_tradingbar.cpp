// TradingBar: the dead man's switch toggle asks with the chosen timeout (0 to disarm), the
// countdown counts to the exact trigger time the order manager reported, a failed refresh
// stays visible next to the countdown, and the manager's state never echoes back as a request.

#include "ui/tradingbar.h"

#include <QCheckBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace Qt::StringLiterals;

class TestTradingBar : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void toggleAsksWithTimeout();
    void countdownAndFailures();
};

void TestTradingBar::toggleAsksWithTimeout() {
    ui::TradingBar bar;
    QSignalSpy asks(&bar, &ui::TradingBar::deadMansSwitchRequested);
    bar.timeoutSpin()->setValue(45);
    bar.deadMansSwitchToggle()->setChecked(true);
    QCOMPARE(asks.size(), 1);
    QCOMPARE(asks.last().at(0).toInt(), 45);
    bar.deadMansSwitchToggle()->setChecked(false);
    QCOMPARE(asks.last().at(0).toInt(), 0);
    // The manager's report moves the toggle without asking again.
    bar.setDeadMansSwitch(true, 1'000'000, u"refreshed"_s);
    QVERIFY(bar.deadMansSwitchToggle()->isChecked());
    QCOMPARE(asks.size(), 2);
}

void TestTradingBar::countdownAndFailures() {
    ui::TradingBar bar;
    QCOMPARE(bar.countdownText(0), u"off"_s);
    const qint64 trigger = 1'700'000'065'000;
    bar.setDeadMansSwitch(true, trigger, u"refreshed"_s);
    QCOMPARE(bar.countdownText(trigger - 65'000), u"cancels in 01:05"_s);
    QCOMPARE(bar.countdownText(trigger - 500), u"cancels in 00:01"_s); // rounds up
    QCOMPARE(bar.countdownText(trigger + 10'000), u"cancels in 00:00"_s);
    bar.setDeadMansSwitch(true, trigger, u"refresh failed: network"_s);
    QCOMPARE(bar.countdownText(trigger - 30'000),
             u"cancels in 00:30 (refresh failed: network)"_s);
    bar.setDeadMansSwitch(false, 0, u"off"_s);
    QCOMPARE(bar.countdownText(trigger), u"off"_s);
    bar.setConnectionState(u"live"_s, true);
    QCOMPARE(bar.connectionLabel()->text(), u"Trading: live"_s);
}

QTEST_MAIN(TestTradingBar)
#include "tst_tradingbar.moc"
