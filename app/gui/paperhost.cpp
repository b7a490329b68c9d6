#include "paperhost.h"

#include "kraken/sim/paperexchange.h"

namespace app {

PaperHost::PaperHost(kraken::sim::SimConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config)) {}

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
    Q_EMIT started(m_exchange->restUrl(), m_exchange->wsUrl(), m_exchange->wsAuthUrl());
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
