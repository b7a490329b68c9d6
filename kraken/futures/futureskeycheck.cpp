#include "futureskeycheck.h"

#include "futuresrestclient.h"

using namespace Qt::StringLiterals;

namespace kraken::futures {

KeyCheckVerdict explainFuturesKeyCheck(const Result<FuturesAccounts> &result) {
    using K = KeyCheckVerdict::Kind;
    if (result.ok()) {
        QStringList names;
        for (const FuturesAccount &a : result->accounts)
            names << a.name;
        return KeyCheckVerdict::make(
            K::Ok,
            names.isEmpty()
                ? u"The Futures keys work: Kraken accepted them; no margin account yet."_s
                : u"The Futures keys work: Kraken reports %1 account(s): %2."_s.arg(names.size())
                      .arg(names.join(u", ")),
            {});
    }
    const Error &e = result.error();
    const QString code = e.krakenErrors().value(0);
    const QString detail = keyCheckDetail(e);
    const auto is = [&code](QStringView c) { return code.compare(c, Qt::CaseInsensitive) == 0; };

    if (is(u"authenticationError"))
        return KeyCheckVerdict::make(
            K::BadKeyOrSecret, u"Kraken Futures rejected the key or its secret."_s,
            u"Kraken Futures does not say which: copy the public key and the private key again "
            u"from the Futures API settings (Settings > API on futures.kraken.com), whole and "
            u"without spaces. Futures keys are not Spot keys, and demo-futures keys work only "
            u"on the demo environment (and mainnet keys only on mainnet)."_s,
            detail);
    if (is(u"nonceBelowThreshold") || is(u"nonceDuplicate"))
        return KeyCheckVerdict::make(
            K::Nonce, u"Kraken Futures rejected the request's nonce."_s,
            u"Every signed request carries a number that must be larger than the last one Kraken "
            u"saw for this key. Another program is probably using the same key with larger "
            u"nonces: give each program its own API key."_s,
            detail);
    if (is(u"accountInactive"))
        return KeyCheckVerdict::make(
            K::AccountInactive, u"The keys are valid but the Futures account is inactive."_s,
            u"Kraken Futures accepted the key, but the account cannot trade: check the account's "
            u"status (verification, region, a Futures account opened) on Kraken."_s,
            detail);
    if (is(u"insufficientPrivileges") || is(u"permissionDenied"))
        return KeyCheckVerdict::make(
            K::MissingPermission, u"The keys are valid but lack a permission."_s,
            u"Give the key General API \"Read Only\" access to see the account, or \"Full "
            u"Access\" to trade, in the Futures API settings."_s,
            detail);
    if (auto common = explainCommonKeyCheckFailure(e))
        return *common;
    return KeyCheckVerdict::make(K::Other, u"Kraken Futures refused the test."_s, e.message(),
                                 detail);
}

void runFuturesKeyCheck(FuturesRestClient *client, const QObject *context,
                        std::function<void(const KeyCheckVerdict &)> done) {
    client->accounts().then(context, [done = std::move(done)](const Result<FuturesAccounts> &r) {
        done(explainFuturesKeyCheck(r));
    });
}

} // namespace kraken::futures
