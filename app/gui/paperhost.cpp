#include "paperhost.h"

#include "kraken/sim/paperexchange.h"

namespace app {

PaperHost::PaperHost(kraken::sim::SimConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config)) {
    qRegisterMetaType<app::PaperEndpoints>();
}

PaperHost::~PaperHost() = default;

void PaperHost::start() {
    if (m_exchange)
        return;
    m_exchange = std::make_unique<kraken::sim::PaperExchange>(m_config);
    QString error;
    if (!m_exchange->start(0, 0, 0, &error)) {
        m_exchange.reset();
        Q_EMIT failed(error);
        return;
    }
    if (m_stepMs >= 0)
        m_exchange->setStepInterval(m_stepMs);
    PaperEndpoints e;
    e.rest = m_exchange->restUrl();
    e.ws = m_exchange->wsUrl();
    e.wsAuth = m_exchange->wsAuthUrl();
    e.futuresRest = m_exchange->futuresRestUrl();
    e.futuresWs = m_exchange->futuresWsUrl();
    e.futuresCharts = m_exchange->futuresChartsUrl();
    Q_EMIT started(e);
}

void PaperHost::setStepInterval(int ms) {
    m_stepMs = ms;
    if (m_exchange)
        m_exchange->setStepInterval(ms);
}

void PaperHost::stop() {
    m_exchange.reset();
}

} // namespace app
