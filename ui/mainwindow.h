#pragma once

// MainWindow: the terminal's frame. The candle chart in the centre and every other panel in
// a QDockWidget (movable, floatable, closable; the View menu shows and hides them), named
// layouts through LayoutStore, the dark/light theme toggle, link groups (LinkHub) tying the
// panels' link buttons together, a banner for problems that need the user (e.g. Kraken
// unreachable, with "Switch to Paper"), and the status bar. It only renders models it is
// given; the composition root wires it to the feed. GUI thread.

#include <QMainWindow>

class QAction;
class QDockWidget;
class QLabel;
class QPushButton;
class QSettings;

namespace model {
class CandleModel;
class LadderModel;
class TradesModel;
class WatchlistModel;
} // namespace model

namespace ui {

class AccountSummaryPanel;
class BalancesPanel;
class FuturesTicket;
class PositionsPanel;
class CandleChart;
class DepthChart;
class FillsPanel;
class OrderTicket;
class OrdersPanel;
class TradingBar;
class LadderPanel;
class LayoutStore;
class LinkHub;
class StatusBar;
class TapePanel;
class WatchlistPanel;

// The trading panels, built by the composition root around its models.
struct TradingPanels {
    OrderTicket *ticket = nullptr;
    OrdersPanel *orders = nullptr;
    FillsPanel *fills = nullptr;
    BalancesPanel *balances = nullptr;
    TradingBar *bar = nullptr;
};

// The Futures panels: Kraken Futures is a separate account with its own orders and fills, so
// they get blotters of their own; the account summary merges both venues.
struct FuturesPanels {
    FuturesTicket *ticket = nullptr;
    OrdersPanel *orders = nullptr;
    FillsPanel *fills = nullptr;
    PositionsPanel *positions = nullptr;
    AccountSummaryPanel *account = nullptr;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `settings` (not owned, outlives the window) keeps the layouts and the theme.
    MainWindow(model::WatchlistModel *watchlist, model::LadderModel *ladder,
               model::TradesModel *trades, model::CandleModel *candles, QSettings *settings,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    WatchlistPanel *watchlistPanel() const { return m_watchlist; }
    LadderPanel *ladderPanel() const { return m_ladder; }
    TapePanel *tapePanel() const { return m_tape; }
    DepthChart *depthChart() const { return m_depth; }
    CandleChart *candleChart() const { return m_chart; }
    StatusBar *feedStatusBar() const { return m_status; }
    LinkHub *linkHub() const { return m_hub; }
    LayoutStore *layoutStore() const { return m_layouts.get(); }
    QList<QDockWidget *> docks() const;
    QDockWidget *dock(const QString &objectName) const;

    // "Paper", "Kraken mainnet": in the title and the status bar.
    void setProfileName(const QString &profile);
    // Restores `name` (or the last session if empty); the default arrangement if neither
    // exists. Returns true if a saved layout was applied.
    bool restoreLayout(const QString &name);
    void saveLayout(const QString &name);
    void applyDefaultLayout();
    void setDarkTheme(bool dark);

    // A plain-language problem across the top of the window, with an optional action.
    void showBanner(const QString &text, const QString &actionText = {});
    void hideBanner();
    QString bannerText() const;
    bool isBannerVisible() const;

    // The link group of a panel (its link button), or -1 if `panel` is not one of ours.
    int linkGroupOf(const QWidget *panel) const;

    // Adds the order ticket and the blotters as docks, the trading bar under the menu, and
    // the Trading menu (buy, sell, cancel all, API keys). Call once, before restoreLayout().
    void addTradingPanels(const TradingPanels &panels);
    const TradingPanels &tradingPanels() const { return m_trading; }
    // Adds the Futures ticket, blotters, positions and the account summary as docks, and a
    // Futures section in the Trading menu. Call once, after addTradingPanels().
    void addFuturesPanels(const FuturesPanels &panels);
    const FuturesPanels &futuresPanels() const { return m_futures; }

Q_SIGNALS:
    void bannerActionTriggered();
    void switchToPaperRequested();
    void credentialsRequested();
    void guardSettingsRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QDockWidget *addPanel(const QString &objectName, const QString &title, QWidget *panel);
    void buildMenus();
    // View > Go to panel: shows the dock (if any) and focuses `target`.
    void addGoToAction(const QString &label, QWidget *target, QDockWidget *dock,
                       const QString &key);
    void rebuildLayoutMenu();
    void followLinks(int group, const QString &symbol);

    QSettings *m_settings;
    std::unique_ptr<LayoutStore> m_layouts;
    LinkHub *m_hub;
    WatchlistPanel *m_watchlist;
    LadderPanel *m_ladder;
    TapePanel *m_tape;
    DepthChart *m_depth;
    CandleChart *m_chart;
    StatusBar *m_status;
    QWidget *m_banner;
    QLabel *m_bannerText;
    QPushButton *m_bannerAction;
    QMenu *m_layoutMenu = nullptr;
    QAction *m_darkAction = nullptr;
    QList<QDockWidget *> m_docks;
    TradingPanels m_trading;
    FuturesPanels m_futures;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_goMenu = nullptr;
};

} // namespace ui
