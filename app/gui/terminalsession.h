#pragma once

// TerminalSession: the composition root of krakenterm. Owns the models and the main window
// (GUI thread), the MarketFeed on a feed thread, and for Paper the paper exchange on an
// exchange thread of its own. Feed signals reach the models through queued connections; the
// feed is driven by queued calls. Routes link group 0's symbol and the chart's interval to
// the feed, shows Kraken being unreachable as a banner offering Paper, and shuts everything
// down in order (feed, then exchange; each thread quit and joined). GUI thread.

#include "kraken/core/instrument.h"
#include "model/marketdata.h"
#include "terminaloptions.h"

#include <QElapsedTimer>
#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QSettings;
class QTemporaryDir;
class QThread;
class QTimer;

namespace kraken {
class Credentials;
}
namespace kraken::keychain {
class CredentialResolver;
class CredentialStore;
} // namespace kraken::keychain

namespace model {
class BalancesModel;
class CandleModel;
class FillsModel;
class LadderModel;
class MarketFeed;
struct MarketFeedConfig;
class OrdersModel;
class TradesModel;
class TradingService;
class WatchlistModel;
} // namespace model

namespace ui {
class FillNotifier;
class MainWindow;
} // namespace ui

namespace kraken::futures {
struct FuturesEndpoints;
}

namespace app {

class FuturesDesk;
class PaperHost;

class TerminalSession : public QObject {
    Q_OBJECT
public:
    // The link group whose symbol the feed follows (the one every panel starts in).
    static constexpr int FeedGroup = 0;

    explicit TerminalSession(TerminalOptions options, QObject *parent = nullptr);
    ~TerminalSession() override;

    // Starts the profile's feed (and the paper exchange for Paper). Show the window first.
    void start();
    // Stops the feed and the exchange and joins their threads. Idempotent.
    void shutdown();
    // Mainnet -> Paper (the banner's and File menu's action).
    void switchToPaper();
    // Paper only: the market's step interval (the bench speeds it up).
    void setPaperStepInterval(int ms);

    ui::MainWindow *window() const { return m_window.get(); }
    model::WatchlistModel *watchlistModel() const { return m_watchlist; }
    model::LadderModel *ladderModel() const { return m_ladder; }
    model::TradesModel *tradesModel() const { return m_trades; }
    model::CandleModel *candleModel() const { return m_candles; }
    TerminalOptions::Profile profile() const { return m_profile; }
    QString focusSymbol() const { return m_symbol; }
    int intervalMinutes() const { return m_interval; }
    QUrl paperRestUrl() const { return m_paperRest; }
    QThread *feedThread() const { return m_feedThread; }
    model::OrdersModel *ordersModel() const { return m_orders; }
    model::FillsModel *fillsModel() const { return m_fills; }
    model::BalancesModel *balancesModel() const { return m_balances; }
    // Trading: true once the order manager has reconciled with the exchange.
    bool isTradingReady() const { return m_tradingReady; }
    // The Kraken Futures account: its blotters, positions, account summary and ticket.
    FuturesDesk *futuresDesk() const { return m_futuresDesk; }

    // True once the watchlist has prices, the ladder both sides, the chart bars and the
    // tape trades, all for the focused symbol.
    bool hasLiveData() const;
    QString liveSummary() const;
    qint64 msSinceStart() const { return m_clock.elapsed(); }

Q_SIGNALS:
    void liveDataReady(); // once per start/switch
    void paperStarted(const QUrl &restUrl);
    void feedUnreachable(const QString &reason);
    // Emitted on the GUI thread for every model refresh (the bench times them).
    void modelsRefreshed();
    void tradingReady();

private:
    void startPaper();
    void startFeed(const model::MarketFeedConfig &config);
    void stopFeed();
    void stopPaper();
    void clearModels();
    void onInstruments(const QList<kraken::Instrument> &instruments);
    void focus(const QString &symbol);
    void requestFocus();
    void onBook(const model::BookPtr &book);
    void onTrades(const QList<model::TradeRow> &trades);
    void onCandlesReset(const QString &symbol, int interval, const QList<model::Candle> &candles);
    void onCandlesUpdated(const QString &symbol, int interval, const QList<model::Candle> &bars);
    void onUnreachable(const QString &reason);
    void checkLive();
    void buildTrading();
    // Starts the trading stack on its thread for `credentials` at the given endpoints.
    void startTrading(const QUrl &restUrl, const QUrl &wsAuthUrl,
                      const kraken::Credentials &credentials, const QString &journalPath,
                      bool paper);
    void startMainnetTrading();
    // Futures: the mainnet profile's environment (or the venue given on the command line),
    // nullopt when Futures is off for this run.
    std::optional<kraken::futures::FuturesEndpoints> mainnetFuturesEndpoints() const;
    void startFuturesTrading(const QUrl &restUrl, const QUrl &wsUrl,
                             const kraken::Credentials &credentials, const QString &journalPath,
                             bool paper);
    void startMainnetFuturesTrading();
    bool focusIsFutures() const;
    void stopTrading();
    void showCredentialsDialog();
    // --rest-url, or Kraken's own REST address.
    QUrl mainnetRestUrl() const;
    // The profile the ticket's guards and fee rates are kept under.
    QString guardProfile() const;
    void applyGuardSettings();
    // The focus symbol's working orders onto the ladder's markers.
    void refreshOwnOrders();
    QStringList workingOrders(const QString &symbol) const;
    // Runs `fn` on the trading thread with the service, if trading is running.
    void onTradingThread(std::function<void(model::TradingService *)> fn);

    TerminalOptions m_options;
    TerminalOptions::Profile m_profile;
    std::unique_ptr<QSettings> m_settings;
    model::WatchlistModel *m_watchlist;
    model::LadderModel *m_ladder;
    model::TradesModel *m_trades;
    model::CandleModel *m_candles;
    std::unique_ptr<ui::MainWindow> m_window;

    QThread *m_feedThread = nullptr;
    model::MarketFeed *m_feed = nullptr;
    QThread *m_paperThread = nullptr;
    PaperHost *m_paper = nullptr;
    QUrl m_paperRest;

    model::OrdersModel *m_orders = nullptr;
    model::FillsModel *m_fills = nullptr;
    model::BalancesModel *m_balances = nullptr;
    ui::FillNotifier *m_notifier = nullptr;
    kraken::keychain::CredentialStore *m_keyStore = nullptr;
    kraken::keychain::CredentialResolver *m_keyResolver = nullptr;
    QThread *m_tradingThread = nullptr;
    model::TradingService *m_trading = nullptr;
    std::unique_ptr<QTemporaryDir> m_paperJournalDir;
    bool m_tradingReady = false;
    FuturesDesk *m_futuresDesk = nullptr;

    QList<kraken::Instrument> m_instruments;
    QString m_symbol;
    int m_interval = 1;
    bool m_live = false;
    bool m_haveBook = false;
    QTimer *m_liveCheck;
    QElapsedTimer m_clock;
};

} // namespace app
