// Error: Kraken's "E..." strings mapped to the categories the client acts on (back off, fix
// the key, reconcile), retry advice, and the one-line text shown to the trader.

#include "kraken/core/error.h"

#include <QTest>
#include <QVariant>

using namespace Qt::StringLiterals;
using kraken::Error;
using Category = kraken::Error::Category;

Q_DECLARE_METATYPE(kraken::Error::Category)

class TestError : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void krakenCategory_data();
    void krakenCategory();
    void firstErrorDecides();
    void keepsRawErrorsAndStatus();
    void emptyErrorListIsStillAnError();
    void isTransient_data();
    void isTransient();
    void toStringCarriesMessage();
    void defaultIsNoError();
    void categoryNamesDistinct();
    void travelsInQVariant();
};

void TestError::krakenCategory_data() {
    QTest::addColumn<QString>("error");
    QTest::addColumn<Category>("category");

    // The pairs the trading logic depends on (kraken-protocol.md §3, §5).
    QTest::newRow("invalid nonce") << u"EAPI:Invalid nonce"_s << Category::Auth;
    QTest::newRow("REST rate limit") << u"EAPI:Rate limit exceeded"_s << Category::RateLimited;
    QTest::newRow("order rate limit") << u"EOrder:Rate limit exceeded"_s << Category::RateLimited;
    QTest::newRow("domain rate limit")
        << u"EOrder:Domain rate limit exceeded"_s << Category::RateLimited;
    QTest::newRow("throttled with timestamp")
        << u"EService:Throttled:123"_s << Category::RateLimited;
    QTest::newRow("throttled with spaced timestamp")
        << u"EService:Throttled: 1700000000"_s << Category::RateLimited;
    QTest::newRow("insufficient funds") << u"EOrder:Insufficient funds"_s << Category::Kraken;
    QTest::newRow("permission denied") << u"EGeneral:Permission denied"_s << Category::Auth;
    QTest::newRow("invalid key") << u"EAPI:Invalid key"_s << Category::Auth;
    QTest::newRow("invalid signature") << u"EAPI:Invalid signature"_s << Category::Auth;
    QTest::newRow("temporary lockout") << u"EGeneral:Temporary lockout"_s << Category::Auth;
    QTest::newRow("unknown pair") << u"EQuery:Unknown asset pair"_s << Category::Kraken;
    QTest::newRow("invalid arguments")
        << u"EGeneral:Invalid arguments:volume"_s << Category::Kraken;
    QTest::newRow("service unavailable") << u"EService:Unavailable"_s << Category::Kraken;
    QTest::newRow("unheard of") << u"EFuture:Something new"_s << Category::Kraken;
}

void TestError::krakenCategory() {
    QFETCH(QString, error);
    QFETCH(Category, category);

    QCOMPARE(Error::categoryOfKrakenString(error), category);
    const Error e = Error::fromKraken({error});
    QCOMPARE(e.category(), category);
    QVERIFY(e.isError());
    QVERIFY(bool(e));
}

void TestError::firstErrorDecides() {
    const Error e = Error::fromKraken({u"EOrder:Insufficient funds"_s, u"EAPI:Invalid nonce"_s});
    QCOMPARE(e.category(), Category::Kraken);
    const Error f = Error::fromKraken({u"EAPI:Invalid nonce"_s, u"EOrder:Insufficient funds"_s});
    QCOMPARE(f.category(), Category::Auth);
}

void TestError::keepsRawErrorsAndStatus() {
    const QStringList raw = {u"EOrder:Insufficient funds"_s, u"EGeneral:Internal error"_s};
    const Error e = Error::fromKraken(raw, 200);
    QCOMPARE(e.krakenErrors(), raw);
    QCOMPARE(e.httpStatus(), 200);
    // Both raw strings survive somewhere the log will show.
    QVERIFY(e.toString().contains(raw[0]));
    QVERIFY(e.toString().contains(raw[1]));

    Error g = Error::fromKraken({u"EService:Unavailable"_s}, 503);
    QCOMPARE(g.httpStatus(), 503);
    g.setHttpStatus(502);
    QCOMPARE(g.httpStatus(), 502);
}

void TestError::emptyErrorListIsStillAnError() {
    // Called because something failed; an empty list must not read as success.
    const Error e = Error::fromKraken({});
    QVERIFY(e.isError());
    QCOMPARE_NE(e.category(), Category::None);
    QVERIFY(!e.message().isEmpty());
}

void TestError::isTransient_data() {
    QTest::addColumn<Error>("error");
    QTest::addColumn<bool>("transient");

    QTest::newRow("network") << Error(Category::Network, u"connection reset"_s) << true;
    QTest::newRow("timeout") << Error(Category::Timeout, u"no answer in 10 s"_s) << true;
    QTest::newRow("HTTP 500") << Error(Category::Http, u"500"_s).setHttpStatus(500) << true;
    QTest::newRow("HTTP 503") << Error(Category::Http, u"503"_s).setHttpStatus(503) << true;
    QTest::newRow("HTTP 404") << Error(Category::Http, u"404"_s).setHttpStatus(404) << false;
    QTest::newRow("HTTP 400") << Error(Category::Http, u"400"_s).setHttpStatus(400) << false;
    QTest::newRow("EService:Unavailable") << Error::fromKraken({u"EService:Unavailable"_s}) << true;
    QTest::newRow("EService:Busy") << Error::fromKraken({u"EService:Busy"_s}) << true;
    QTest::newRow("insufficient funds")
        << Error::fromKraken({u"EOrder:Insufficient funds"_s}) << false;
    QTest::newRow("invalid nonce") << Error::fromKraken({u"EAPI:Invalid nonce"_s}) << false;
    // Rate limits are waited out by the limiter, not retried blindly.
    QTest::newRow("rate limited") << Error::fromKraken({u"EAPI:Rate limit exceeded"_s}) << false;
    QTest::newRow("parse") << Error(Category::Parse, u"HTML instead of JSON"_s) << false;
    QTest::newRow("invalid input")
        << Error(Category::InvalidInput, u"qty below ordermin"_s) << false;
    QTest::newRow("none") << Error() << false;
}

void TestError::isTransient() {
    QFETCH(Error, error);
    QFETCH(bool, transient);
    QCOMPARE(error.isTransient(), transient);
}

void TestError::toStringCarriesMessage() {
    const Error net(Category::Network, u"connection refused by api.kraken.com"_s);
    QVERIFY(net.toString().contains(u"connection refused by api.kraken.com"_s));
    QVERIFY(!net.toString().contains(u'\n'));

    const Error withDetail(Category::Http, u"bad gateway"_s, u"HTTP 502 from cloudflare"_s);
    QVERIFY(withDetail.toString().contains(u"bad gateway"_s));
    QVERIFY(withDetail.toString().contains(u"HTTP 502 from cloudflare"_s));

    const Error nonce = Error::fromKraken({u"EAPI:Invalid nonce"_s});
    QVERIFY(!nonce.message().isEmpty());
    QVERIFY(nonce.toString().contains(nonce.message()));
    QVERIFY(nonce.toString().contains(u"EAPI:Invalid nonce"_s));
    // The categories read differently, so the trader can tell them apart.
    QCOMPARE_NE(nonce.toString(), Error::fromKraken({u"EOrder:Insufficient funds"_s}).toString());

    // An order call with an unknown outcome says so.
    Error unknown(Category::Timeout, u"no answer to AddOrder"_s);
    const QString before = unknown.toString();
    QVERIFY(!unknown.outcomeUnknown());
    unknown.setOutcomeUnknown(true);
    QVERIFY(unknown.outcomeUnknown());
    QVERIFY(unknown.toString().contains(u"no answer to AddOrder"_s));
    QCOMPARE_NE(unknown.toString(), before);
}

void TestError::defaultIsNoError() {
    const Error e;
    QVERIFY(!e.isError());
    QVERIFY(!bool(e));
    QCOMPARE(e.category(), Category::None);
    QVERIFY(e.krakenErrors().isEmpty());
}

void TestError::categoryNamesDistinct() {
    const Category all[] = {Category::None,        Category::Network, Category::Timeout,
                            Category::Http,        Category::Kraken,  Category::Parse,
                            Category::RateLimited, Category::Auth,    Category::InvalidInput};
    QStringList names;
    for (Category c : all) {
        const QString n = Error::categoryName(c);
        QVERIFY(!n.isEmpty());
        QVERIFY2(!names.contains(n), qPrintable(n));
        names << n;
    }
}

void TestError::travelsInQVariant() {
    // Errors cross queued signal connections as QVariant/QMetaType values.
    const Error e = Error::fromKraken({u"EAPI:Rate limit exceeded"_s}, 200);
    const QVariant v = QVariant::fromValue(e);
    QVERIFY(v.canConvert<Error>());
    const Error back = v.value<Error>();
    QCOMPARE(back.category(), Category::RateLimited);
    QCOMPARE(back.krakenErrors(), e.krakenErrors());
    QCOMPARE(back.toString(), e.toString());
}

QTEST_GUILESS_MAIN(TestError)
#include "tst_error.moc"
