// ccxt's Kraken client, unchanged but for its base URL, against the paper exchange.
// Reads the URL and the paper credentials from the environment (as `krakenterm-cli sim`
// prints them), runs the calls a trading bot makes, and exits 1 at the first surprise.
import ccxt from 'ccxt';

const url = process.env.KRAKEN_SPOT_URL;
if (!url) {
    console.error('KRAKEN_SPOT_URL is not set');
    process.exit(2);
}
const kraken = new ccxt.kraken({
    apiKey: process.env.KRAKEN_SPOT_API_KEY,
    secret: process.env.KRAKEN_SPOT_API_SECRET,
    enableRateLimit: false,
    timeout: 20000,
});
kraken.urls.api = { ...kraken.urls.api, public: url, private: url };

let step = '';
function check(condition, what) {
    if (!condition) {
        throw new Error(`${step}: ${what}`);
    }
}

try {
    step = 'loadMarkets';
    const markets = await kraken.loadMarkets();
    const btc = markets['BTC/USD'];
    check(btc !== undefined, 'BTC/USD listed');
    check(btc.id === 'XXBTZUSD', `id XXBTZUSD, got ${btc.id}`);
    check(btc.limits.amount.min === 0.00005, `ordermin 0.00005, got ${btc.limits.amount.min}`);
    check(markets['ETH/BTC'] !== undefined, 'ETH/BTC listed');

    step = 'fetchTicker';
    const ticker = await kraken.fetchTicker('BTC/USD');
    check(ticker.bid > 0 && ticker.ask > ticker.bid, `bid ${ticker.bid} < ask ${ticker.ask}`);
    check(ticker.last > 0, 'a last price');

    step = 'fetchOrderBook';
    const book = await kraken.fetchOrderBook('BTC/USD', 10);
    check(book.bids.length === 10 && book.asks.length === 10, 'ten levels a side');
    check(book.bids[0][0] < book.asks[0][0], 'not crossed');
    check(book.bids[0][0] > book.bids[9][0], 'bids descending');

    step = 'fetchOHLCV';
    const bars = await kraken.fetchOHLCV('BTC/USD', '1m');
    check(bars.length >= 100, `history, got ${bars.length} bars`);
    check(bars.every((b) => b[2] >= b[3] && b[2] >= b[1] && b[3] <= b[4]), 'high >= low');

    step = 'fetchTrades';
    const trades = await kraken.fetchTrades('BTC/USD');
    check(trades.length > 0, 'public trades');

    step = 'fetchBalance';
    const balance = await kraken.fetchBalance();
    check(balance.total.USD === 100000, `USD 100000, got ${balance.total.USD}`);
    check(balance.total.BTC === 2, `BTC 2, got ${balance.total.BTC}`);

    step = 'createOrder limit';
    const price = Math.round(book.bids[0][0] * 0.9);
    const resting = await kraken.createOrder('BTC/USD', 'limit', 'buy', 0.01, price);
    check(typeof resting.id === 'string' && /^[A-Z0-9]{6}-[A-Z0-9]{5}-[A-Z0-9]{6}$/.test(resting.id),
        `a Kraken order id, got ${resting.id}`);

    step = 'fetchOpenOrders';
    const open = await kraken.fetchOpenOrders('BTC/USD');
    check(open.some((o) => o.id === resting.id && o.price === price && o.amount === 0.01),
        'the resting order, with its price and amount');

    step = 'fetchOrder';
    const fetched = await kraken.fetchOrder(resting.id);
    check(fetched.status === 'open', `open, got ${fetched.status}`);

    step = 'cancelOrder';
    await kraken.cancelOrder(resting.id);
    const afterCancel = await kraken.fetchOpenOrders('BTC/USD');
    check(!afterCancel.some((o) => o.id === resting.id), 'gone after cancel');

    step = 'createOrder market';
    const taken = await kraken.createOrder('BTC/USD', 'market', 'buy', 0.01);
    check(typeof taken.id === 'string', 'an order id');
    const filled = await kraken.fetchOrder(taken.id);
    check(filled.status === 'closed' && filled.filled === 0.01, `filled 0.01, got ${filled.status} ${filled.filled}`);

    step = 'fetchMyTrades';
    const mine = await kraken.fetchMyTrades('BTC/USD');
    check(mine.some((t) => t.order === taken.id), 'our fill in the trade history');

    step = 'fetchBalance after';
    const after = await kraken.fetchBalance();
    check(Math.abs(after.total.BTC - 2.01) < 1e-12, `BTC 2.01, got ${after.total.BTC}`);
    check(after.total.USD < 100000, 'USD spent');

    step = 'bad credentials';
    const wrong = new ccxt.kraken({ apiKey: process.env.KRAKEN_SPOT_API_KEY, secret: Buffer.alloc(64, 7).toString('base64') });
    wrong.urls.api = { ...wrong.urls.api, public: url, private: url };
    let refused = false;
    try {
        await wrong.fetchBalance();
    } catch (e) {
        refused = e instanceof ccxt.ExchangeError && String(e.message).includes('EAPI:Invalid signature');
    }
    check(refused, 'a wrong secret is refused with EAPI:Invalid signature');

    console.log(JSON.stringify({ ok: true, markets: Object.keys(markets).length, bars: bars.length, order: resting.id }));
} catch (e) {
    console.error(`ccxt against the paper exchange failed at ${e.message ?? e}`);
    process.exit(1);
}
