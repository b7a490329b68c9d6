// End to end trading in the terminal's own composition (TerminalSession, as krakenterm runs
// it) on the in-process paper exchange: the ticket places a limit order through the
// confirmation dialog, the order manager on the trading thread sends it over the
// authenticated WebSocket, the Orders blotter shows it open, cancelling from the blotter
// closes it, a marketable order fills and shows in Fills and moves Balances, and the dead
// man's switch arms with a visible countdown and disarms.

#include "app/gui/terminalsession.h"
#include "kraken/sim/marketsim.h"
#include "kraken/sim/matchingengine.h"
#include "kraken/sim/paperexchange.h"
#include "model/balancesmodel.h"
#include "model/fillsmodel.h"
#include "model/laddermodel.h"
#include "model/ordersmodel.h"
#include "model/tradingtypes.h"
#include "ui/ladderpanel.h"
#include "ui/mainwindow.h"
#include "ui/orderconfirmdialog.h"
#include "ui/orderspanel.h"
#include "ui/orderticket.h"
#include "ui/tradingbar.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using model::OrderState;

namespace {

constexpr int Bound = 30'000;

// Answers the next confirmation dialog: ticks "I understand" if shown, then confirms.
void confirmNextDialog() {
    QTimer::singleShot(0, [] {
        QTRY_VERIFY_WITH_TIMEOUT(
            qobject_cast<ui::OrderConfirmDialog *>(QApplication::activeModalWidget()) != nullptr,
            Bound);
        auto *dialog = qobject_cast<ui::OrderConfirmDialog *>(QApplication::activeModalWidget());
        if (dialog->understandBox())
            dialog->understandBox()->setChecked(true);
        dialog->confirmButton()->click();
    });
}

QLineEdit *field(ui::OrderTicket *t, const char *name) {
    return t->findChild<QLineEdit *>(QString::fromLatin1(name));
}

int rowOfState(const model::OrdersModel *m, OrderState state) {
    for (int r = 0; r < m->rowCount(); ++r) {
        if (m->index(r, 0).data(model::OrdersModel::StateRole).toInt() == int(state))
            return r;
    }
    return -1;
}

} // namespace

class TestTradingPaper : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ticketBlotterAndDeadMansSwitch();
    void restartAgainstAPersistentVenue();
};

void TestTradingPaper::ticketBlotterAndDeadMansSwitch() {
    QTemporaryDir dir;
    app::TerminalOptions o;
    o.profile = app::TerminalOptions::Profile::Paper;
    o.settingsPath = dir.filePath(u"kt.ini"_s);
    o.journalPath = dir.filePath(u"journal.sqlite"_s);
    app::TerminalSession session(o);
    ui::MainWindow *w = session.window();
    w->show();
    QVERIFY(QTest::qWaitForWindowExposed(w));
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(session.hasLiveData(), Bound);
    QTRY_VERIFY_WITH_TIMEOUT(session.isTradingReady(), Bound);
    const ui::TradingPanels &p = w->tradingPanels();
    QTRY_VERIFY_WITH_TIMEOUT(p.bar->connectionLabel()->text().contains(u"live"_s), Bound);
    QCOMPARE(p.ticket->instrument().symbol(), u"BTC/USD"_s);

    // A buy limit well under the market: rests. The paper profile confirms every order.
    p.ticket->prepareBuy();
    field(p.ticket, "quantity")->setText(u"0.01"_s);
    field(p.ticket, "limitPrice")->setText(u"30000.0"_s);
    QTRY_VERIFY_WITH_TIMEOUT(p.ticket->currentValidation().errors().isEmpty(), Bound);
    confirmNextDialog();
    p.ticket->submit();
    model::OrdersModel *orders = session.ordersModel();
    QTRY_COMPARE_WITH_TIMEOUT(orders->rowCount(), 1, Bound);
    QTRY_VERIFY_WITH_TIMEOUT(rowOfState(orders, OrderState::Open) == 0, Bound);
    const model::OrderRecord placed =
        orders->index(0, 0).data(model::OrdersModel::RecordRole).value<model::OrderRecord>();
    QCOMPARE(placed.symbol, u"BTC/USD"_s);
    QCOMPARE(*placed.limitPrice, *kraken::Decimal::fromString("30000.0"));
    QVERIFY(!placed.orderId.isEmpty());

    // Cancel from the blotter.
    p.orders->setMode(ui::OrdersPanel::Mode::Open);
    p.orders->view()->selectRow(0);
    QTRY_VERIFY(p.orders->cancelAction()->isEnabled());
    p.orders->cancelAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(rowOfState(orders, OrderState::Cancelled) == 0, Bound);

    // A market buy fills: a fill row with a fee, and the BTC balance rises.
    auto btc = [&] {
        const model::BalancesModel *b = session.balancesModel();
        for (int r = 0; r < b->rowCount(); ++r) {
            if (b->index(r, 0).data().toString() == u"BTC"_s)
                return b->index(r, 1).data().toString();
        }
        return QString();
    };
    QTRY_VERIFY_WITH_TIMEOUT(!btc().isEmpty(), Bound);
    const QString btcBefore = btc();
    p.ticket->findChild<QComboBox *>(u"orderType"_s)
        ->setCurrentIndex(p.ticket->findChild<QComboBox *>(u"orderType"_s)->findData(u"market"_s));
    field(p.ticket, "quantity")->setText(u"0.02"_s);
    QTRY_VERIFY_WITH_TIMEOUT(p.ticket->currentValidation().errors().isEmpty(), Bound);
    confirmNextDialog();
    p.ticket->submit();
    QTRY_VERIFY_WITH_TIMEOUT(rowOfState(orders, OrderState::Filled) >= 0, Bound);
    QTRY_VERIFY_WITH_TIMEOUT(session.fillsModel()->rowCount() > 0, Bound);
    QTRY_VERIFY_WITH_TIMEOUT(btc() != btcBefore, Bound);

    // Ladder trading: a click on a bid level (the panel's signal, as tst_ladderpanel proves the
    // gesture) goes through the ticket's checks and confirmation with the ticket's quantity;
    // dragging the marker amends; the ladder's cancel-all closes this symbol's orders.
    ui::LadderPanel *ladder = w->ladderPanel();
    const kraken::Decimal bid = *session.ladderModel()->bestBid();
    const kraken::Decimal low = *bid.minus(*kraken::Decimal::fromString("2000.0"));
    field(p.ticket, "quantity")->setText(u"0.01"_s);
    confirmNextDialog();
    Q_EMIT ladder->placeOrderRequested(kraken::spot::Side::Buy, low);
    auto openAt = [&](const kraken::Decimal &price) {
        for (int r = 0; r < orders->rowCount(); ++r) {
            const model::OrderRecord &o = orders->record(r);
            if (o.state == OrderState::Open && o.limitPrice && *o.limitPrice == price)
                return o.clOrdId;
        }
        return QString();
    };
    QTRY_VERIFY_WITH_TIMEOUT(!openAt(low).isEmpty(), Bound);
    const QString laddered = openAt(low);
    const kraken::Decimal lower = *low.minus(*kraken::Decimal::fromString("10.0"));
    Q_EMIT ladder->amendPriceRequested({laddered}, lower);
    QTRY_COMPARE_WITH_TIMEOUT(openAt(lower), laddered, Bound);
    Q_EMIT ladder->cancelAllRequested();
    QTRY_COMPARE_WITH_TIMEOUT(orders->find(laddered)->state, OrderState::Cancelled, Bound);

    // Dead man's switch: on shows a countdown near the timeout; off shows off.
    p.bar->timeoutSpin()->setValue(90);
    p.bar->deadMansSwitchToggle()->setChecked(true);
    QTRY_VERIFY_WITH_TIMEOUT(p.bar->countdownLabel()->text().startsWith(u"cancels in 01:"_s),
                             Bound);
    p.bar->deadMansSwitchToggle()->setChecked(false);
    QTRY_COMPARE_WITH_TIMEOUT(p.bar->countdownLabel()->text(), u"off"_s, Bound);
    session.shutdown();
}

void TestTradingPaper::restartAgainstAPersistentVenue() {
    // A Kraken-compatible venue that outlives the terminal (here the paper exchange in this
    // process, as `krakenterm-cli sim --state` would be), keys from the environment because
    // no keychain is reachable, and the same journal across two lives of the terminal.
    kraken::sim::PaperExchange ex(kraken::sim::SimConfig::builtIn());
    ex.setStepInterval(0);
    QVERIFY(ex.start(0, 0, 0));
    const kraken::sim::SimAccount account = ex.config().accounts.front();
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/kt-no-bus");
    qputenv("KRAKEN_SPOT_API_KEY", account.apiKey.toUtf8());
    qputenv("KRAKEN_SPOT_API_SECRET", account.secret.toUtf8());
    QTemporaryDir dir;
    app::TerminalOptions o;
    o.profile = app::TerminalOptions::Profile::Mainnet;
    o.settingsPath = dir.filePath(u"kt.ini"_s);
    o.journalPath = dir.filePath(u"journal.sqlite"_s);
    o.mainnetRestUrl = ex.restUrl();
    o.mainnetWsUrl = ex.wsUrl();
    o.mainnetWsAuthUrl = ex.wsAuthUrl();
    kraken::sim::MarketSim *btc = ex.market(u"BTC/USD");
    const kraken::Decimal low = *btc->bestBid()->minus(*kraken::Decimal::fromString("3000.0"));

    QString resting;
    {
        app::TerminalSession first(o);
        first.window()->show();
        first.start();
        QTRY_VERIFY_WITH_TIMEOUT(first.isTradingReady(), Bound);
        const ui::TradingPanels &p = first.window()->tradingPanels();
        QTRY_COMPARE_WITH_TIMEOUT(p.ticket->instrument().symbol(), u"BTC/USD"_s, Bound);
        p.ticket->prepareLimit(kraken::spot::Side::Buy, low);
        field(p.ticket, "quantity")->setText(u"0.01"_s);
        confirmNextDialog();
        p.ticket->submit();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfState(first.ordersModel(), OrderState::Open) >= 0, Bound);
        resting =
            first.ordersModel()->record(rowOfState(first.ordersModel(), OrderState::Open)).clOrdId;
        // The terminal goes away here.
    }
    // While it is gone: the resting order is cancelled on the web and another one placed.
    QCOMPARE(ex.engine().cancelOrders(account.id, {resting}).orderIds.size(), 1);
    kraken::sim::OrderParams web;
    web.symbol = u"BTC/USD"_s;
    web.side = kraken::sim::Side::Sell;
    web.qty = *kraken::Decimal::fromString("0.02");
    web.limit = kraken::sim::PriceSpec{*btc->bestAsk()->plus(*kraken::Decimal::fromString("900.0")),
                                       kraken::sim::PriceType::Static};
    const auto placed = ex.engine().addOrder(account.id, web);
    QVERIFY(placed.error.isEmpty());

    app::TerminalSession second(o);
    second.window()->show();
    second.start();
    QTRY_VERIFY_WITH_TIMEOUT(second.isTradingReady(), Bound);
    model::OrdersModel *orders = second.ordersModel();
    QTRY_VERIFY_WITH_TIMEOUT(
        orders->find(resting) && orders->find(resting)->state == OrderState::Cancelled, Bound);
    const QString adopted = u"ext:"_s + placed.orderId;
    QTRY_VERIFY_WITH_TIMEOUT(
        orders->find(adopted) && orders->find(adopted)->state == OrderState::Open, Bound);
    QCOMPARE(orders->rowCount(), 2);
    QVERIFY(second.window()->windowTitle().contains(ex.restUrl().authority()));
    second.shutdown();
}

QTEST_MAIN(TestTradingPaper)
#include "tst_trading_paper.moc"
