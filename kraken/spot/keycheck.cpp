#include "keycheck.h"

#include "restclient.h"

using namespace Qt::StringLiterals;

namespace kraken::spot {
namespace {

KeyCheckVerdict verdict(KeyCheckVerdict::Kind kind, QString headline, QString advice,
                        QString detail = {}) {
    return KeyCheckVerdict::make(kind, std::move(headline), std::move(advice), std::move(detail));
}

} // namespace

KeyCheckVerdict explainKeyCheck(const Result<Balances> &result) {
    using K = KeyCheckVerdict::Kind;
    if (result.ok()) {
        const qsizetype assets = result->size();
        qsizetype funded = 0;
        for (const Decimal &amount : *result)
            funded += amount.isZero() ? 0 : 1;
        return verdict(K::Ok,
                       assets == 0
                           ? u"The keys work: Kraken accepted them; the account holds no assets "
                             u"yet."_s
                           : u"The keys work: Kraken reports balances for %1 asset(s), %2 of them "
                             u"non-zero."_s.arg(assets)
                                 .arg(funded),
                       {});
    }
    const Error &e = result.error();
    const QString first = e.krakenErrors().value(0);
    const QString detail = keyCheckDetail(e);

    if (first.startsWith(u"EAPI:Invalid key"_s))
        return verdict(K::BadKey, u"Kraken does not recognise this API key."_s,
                       u"Copy the API key again from Kraken's Settings > API page (all of it, "
                       u"without spaces), and check the key has not been deleted there. Spot "
                       u"and Futures keys are different: a Futures key does not work for Spot."_s,
                       detail);
    if (first.startsWith(u"EAPI:Invalid signature"_s))
        return verdict(K::BadSecret, u"The API secret does not match this key."_s,
                       u"Kraken knows the key, but the request signed with the secret was "
                       u"rejected: the secret is wrong or was not copied whole. Copy the private "
                       u"key again (Kraken shows it only when the key is created; if it is lost, "
                       u"create a new key)."_s,
                       detail);
    if (first.startsWith(u"EGeneral:Permission denied"_s))
        return verdict(K::MissingPermission, u"The keys are valid but lack a permission."_s,
                       u"Kraken accepted the key and secret but refused to show balances: enable "
                       u"\"Query Funds\" for this key in Kraken's API settings (and \"Create & "
                       u"Modify Orders\" / \"Cancel & Close Orders\" to trade)."_s,
                       detail);
    if (first.startsWith(u"EAPI:Invalid nonce"_s))
        return verdict(K::Nonce, u"Kraken rejected the request's nonce."_s,
                       u"Every signed request carries a number (the nonce) that must be larger "
                       u"than the last one Kraken saw for this key. Another program (a bot, a "
                       u"second terminal) is probably using the same key with larger nonces. Give "
                       u"each program its own API key, or raise the key's nonce window in "
                       u"Kraken's API settings so that slightly out-of-order requests are "
                       u"accepted."_s,
                       detail);
    if (first.startsWith(u"EGeneral:Temporary lockout"_s))
        return verdict(K::Lockout, u"Kraken has temporarily locked this key."_s,
                       u"Too many failed attempts (wrong secret or nonce) were made with this "
                       u"key. Wait a few minutes before trying again, and fix the key or secret "
                       u"first, or the lockout starts over."_s,
                       detail);
    if (auto common = explainCommonKeyCheckFailure(e))
        return *common;
    return verdict(K::Other, u"Kraken refused the test."_s, e.message(), detail);
}

void runKeyCheck(RestClient *client, const QObject *context,
                 std::function<void(const KeyCheckVerdict &)> done) {
    client->balance().then(
        context, [done = std::move(done)](const Result<Balances> &r) { done(explainKeyCheck(r)); });
}

} // namespace kraken::spot
