/* twin_math.js: LessonkitMath.row(spec, a, da, digits) prints what `lessonkit table --format
 * json` prints, for a spec from lessonkit/parts/nudge/twin/functions.py (no eval, no dependencies). Exact parts
 * are BigInt fractions; the rest is BigInt fixed point (X stands for X/10^W), raised until two
 * precisions agree on the 60 significant digits Python keeps (numbers.WORKING_DIGITS). */
(function (root) {
  "use strict";

  // ---- exact rationals {n, d}: BigInt, d > 0, lowest terms
  const babs = (x) => (x < 0n ? -x : x);
  const gcd = (a, b) => { a = babs(a); b = babs(b); while (b) [a, b] = [b, a % b]; return a; };
  function Q(n, d = 1n) {
    if (d === 0n) throw undef();
    if (d < 0n) { n = -n; d = -d; }
    const g = gcd(n, d);
    return g > 1n ? { n: n / g, d: d / g } : { n, d };
  }
  const ONE = Q(1n), ZERO = Q(0n);
  const qadd = (x, y) => Q(x.n * y.d + y.n * x.d, x.d * y.d);
  const qsub = (x, y) => Q(x.n * y.d - y.n * x.d, x.d * y.d);
  const qmul = (x, y) => Q(x.n * y.n, x.d * y.d);
  const qdiv = (x, y) => Q(x.n * y.d, x.d * y.n);
  const qsign = (x) => (x.n > 0n ? 1 : x.n < 0n ? -1 : 0);
  const qeq = (x, y) => x.n === y.n && x.d === y.d;
  const qpow = (x, k) => (k < 0n ? qpow(qdiv(ONE, x), -k) : { n: x.n ** k, d: x.d ** k });
  const qfloor = (x) => (x.n >= 0n ? x.n / x.d : -((-x.n + x.d - 1n) / x.d));
  const qmod = (x, m) => qsub(x, qmul(Q(qfloor(qdiv(x, m))), m)); // in [0, m)
  const qstr = (x) => (x.d === 1n ? `${x.n}` : `${x.n}/${x.d}`); // str(Fraction)
  const P10 = [];
  const p10 = (k) => P10[k] || (P10[k] = 10n ** BigInt(k));
  const ndig = (x) => (x === 0n ? 0 : babs(x).toString().length);
  const bitlen = (x) => x.toString(16).length * 4; // within 3 bits: enough for a first guess
  function parseQ(t) { // "2.5" or "1/3" (tree literals)
    const [p, q] = t.split("/");
    if (q) return Q(BigInt(p), BigInt(q));
    const [i, f = ""] = p.split(".");
    return Q(BigInt(i + f), p10(f.length));
  }
  function iroot(n, k, x) { // floor(n^(1/k)) for n >= 0, from a guess x >= it
    if (n < 2n) return n;
    x = x || 1n << BigInt(Math.ceil(bitlen(n) / Number(k)) + 1);
    for (;;) {
      const y = ((k - 1n) * x + n / x ** (k - 1n)) / k;
      if (y >= x) return x;
      x = y;
    }
  }
  function qroot(x, k) { // the exact k-th root of x >= 0, or null
    if ([x.n, x.d].some((v) => v > 1n && k > BigInt(bitlen(v)))) return null; // 2^k > v
    const n = iroot(x.n, k), d = iroot(x.d, k);
    return n ** k === x.n && d ** k === x.d ? { n, d } : null;
  }

  // ---- fixed point at W decimals
  const memo = {};
  const cached = (key, f) => (key in memo ? memo[key] : (memo[key] = f()));
  function atanInv(k, S, hyperbolic) { // atan(1/k) or atanh(1/k), times S
    const k2 = k * k;
    let t = S / k, sum = t, i = 1n;
    while (t) { t /= k2; sum += (hyperbolic || i % 2n === 0n ? t : -t) / (2n * i + 1n); i++; }
    return sum;
  }
  const PI = (W) => cached("pi" + W, () =>
    (16n * atanInv(5n, p10(W + 9)) - 4n * atanInv(239n, p10(W + 9))) / p10(9));
  const LN2 = (W) => cached("ln2" + W, () => (2n * atanInv(3n, p10(W + 9), true)) / p10(9));

  // Series converge fast on small arguments: h = sqrt(W)/2 halvings (or square roots) make
  // them small, and G guard digits absorb what the doublings afterwards amplify.
  const halvings = (W) => Math.floor(Math.sqrt(W) / 2);
  function lnFix(X, W) { // k ln 2 + 2^h ln(m^(1/2^h)), ln y = 2 atanh((y-1)/(y+1))
    const h = W < 300 ? 0 : halvings(W), G = 10 + h, S = p10(W + G);
    X *= p10(G);
    let k = bitlen(X) - bitlen(S);
    let m = k >= 0 ? X >> BigInt(k) : X << BigInt(-k);
    while (4n * m < 3n * S) { m <<= 1n; k--; }
    while (2n * m >= 3n * S) { m >>= 1n; k++; }
    for (let j = 0; j < h; j++) m = iroot(m * S, 2n, m > S ? m : S);
    const z = ((m - S) * S) / (m + S), z2 = (z * z) / S;
    let t = z, sum = z, i = 1n;
    while (t) { t = (t * z2) / S; sum += t / (2n * i + 1n); i++; }
    return ((sum << BigInt(h + 1)) + BigInt(k) * LN2(W + G)) / p10(G);
  }
  function expFix(X, W) { // 2^n e^r, r = x - n ln 2, e^r = (e^(r/2^h))^(2^h)
    const h = halvings(W), G = 20 + h, S = p10(W + G), L = LN2(W + G);
    X *= p10(G);
    const n = X / L, r = (X - n * L) >> BigInt(h);
    let t = S, sum = S, i = 1n;
    while (t) { t = (t * r) / (S * i); sum += t; i++; }
    for (let j = 0; j < h; j++) sum = (sum * sum) / S;
    return (n >= 0n ? sum << n : sum >> -n) / p10(G);
  }
  function sinCos(X, W) { // [sin, cos]: by multiples of pi/2, halvings, then double angles
    const h = halvings(W), G = 12 + h + ndig(X / p10(W)), S = p10(W + G), H = PI(W + G) / 2n;
    X *= p10(G);
    let n = X / H, r = X - n * H;
    if (2n * r > H) { n++; r -= H; } else if (2n * r < -H) { n--; r += H; }
    r >>= BigInt(h);
    const r2 = (r * r) / S;
    let s = r, c = S, t = r, i = 1n;
    while (t) { t = (-t * r2) / S / (2n * i * (2n * i + 1n)); s += t; i++; }
    for (t = S, i = 1n; t; i++) { t = (-t * r2) / S / ((2n * i - 1n) * 2n * i); c += t; }
    for (let j = 0; j < h; j++) [s, c] = [(2n * s * c) / S, (c * c - s * s) / S];
    const q = Number(((n % 4n) + 4n) % 4n);
    return [[s, c], [c, -s], [-s, -c], [-c, s]][q].map((v) => v / p10(G));
  }

  // ---- tree values: {q} exact, {pi: c} exactly c*pi, {ex: c} exactly e^c, {lg: c} exactly
  // log c, {rt: {b, e}} exactly b^e (see radical), {x} approximate
  // The exact forms follow what sympy (which Python uses) simplifies on its own: sin(pi/6) = 1/2,
  // sqrt(2.25) = 1.5, 8^(2/3) = 4, log(e^2) = 2, log(100, 10) = 2, 0*anything = 0.
  const LOG_LIMIT = 23000; // |ln x| beyond this is refused, as expression.magnitude.guard does
  const fail = (why) => Object.assign(new Error(why), { math: true }); // f has no value here
  const big = () => fail("too large to compute");
  const undef = () => fail("undefined");
  const isQ = (v) => "q" in v, isZero = (v) => isQ(v) && v.q.n === 0n;
  const exact = (q) => ({ q });
  function fix(v, W) {
    if ("x" in v) return v.x;
    if (isQ(v)) return (v.q.n * p10(W)) / v.q.d;
    if ("pi" in v) return (v.pi.n * PI(W)) / v.pi.d;
    if ("lg" in v) return lnFix((v.lg.n * p10(W)) / v.lg.d, W);
    if ("rt" in v) return expFix((v.rt.e.n * lnFix((v.rt.b.n * p10(W)) / v.rt.b.d, W)) / v.rt.e.d, W);
    return expFix((v.ex.n * p10(W)) / v.ex.d, W);
  }
  function approx(X, W) { // checked against the magnitude limit
    if (X && Math.abs(ndig(X) - W) > LOG_LIMIT / Math.LN10) throw big();
    return { x: X };
  }

  function add(l, r, sign, W) {
    if (isZero(r)) return l;
    if (isZero(l)) return sign > 0 ? r : neg(r, W);
    if (isQ(l) && isQ(r)) return exact(sign > 0 ? qadd(l.q, r.q) : qsub(l.q, r.q));
    if ("pi" in l && "pi" in r) return scalePi(sign > 0 ? qadd(l.pi, r.pi) : qsub(l.pi, r.pi));
    const x = fix(l, W), y = fix(r, W), s = sign > 0 ? x + y : x - y;
    const m = babs(x) > babs(y) ? babs(x) : babs(y);
    // like terms cancel in sympy (exp(-1) - exp(-1) = 0): so do W-25 digits of known operands
    if (m > p10(50) && babs(s) * p10(W - 25) < m) return exact(ZERO);
    return approx(s, W);
  }
  const scalePi = (c) => (c.n === 0n ? exact(ZERO) : { pi: c });
  const scaleEx = (c) => {
    if (babs(c.n) > BigInt(LOG_LIMIT) * c.d) throw big();
    return c.n === 0n ? exact(ONE) : { ex: c };
  };
  function neg(v, W) {
    if (isQ(v)) return exact(Q(-v.q.n, v.q.d));
    if ("pi" in v) return { pi: Q(-v.pi.n, v.pi.d) };
    return { x: -fix(v, W) };
  }
  function mul(l, r, W) {
    if (isZero(l) || isZero(r)) return exact(ZERO);
    if (isQ(l) && isQ(r)) return exact(qmul(l.q, r.q));
    if (isQ(l) && "pi" in r) return scalePi(qmul(l.q, r.pi));
    if ("pi" in l && isQ(r)) return scalePi(qmul(l.pi, r.q));
    if ("ex" in l && "ex" in r) return scaleEx(qadd(l.ex, r.ex));
    const rt = radicals(l, r, 1);
    if (rt) return rt;
    return approx((fix(l, W) * fix(r, W)) / p10(W), W);
  }
  function div(l, r, W) {
    if (isZero(r)) throw undef();
    if (isZero(l)) return exact(ZERO);
    if (isQ(l) && isQ(r)) return exact(qdiv(l.q, r.q));
    if ("pi" in l && isQ(r)) return scalePi(qdiv(l.pi, r.q));
    if ("pi" in l && "pi" in r) return exact(qdiv(l.pi, r.pi));
    if ("ex" in l && "ex" in r) return scaleEx(qsub(l.ex, r.ex));
    const rt = radicals(l, r, -1);
    if (rt) return rt;
    const y = fix(r, W);
    if (!y) throw undef();
    return approx((fix(l, W) * p10(W)) / y, W);
  }
  function power(b, e, W) {
    if (isQ(e) && e.q.d === 1n) { // integer exponent k
      const k = e.q.n;
      if (k === 0n) return exact(ONE);
      if (isQ(b)) {
        if (b.q.n === 0n) { if (k < 0n) throw undef(); return b; }
        if (Math.abs((lnBig(babs(b.q.n)) - lnBig(b.q.d)) * Number(k)) > LOG_LIMIT) throw big();
        return exact(qpow(b.q, k));
      }
      if ("ex" in b) return scaleEx(qmul(b.ex, e.q));
      if ("rt" in b) return radical(b.rt.b, qmul(b.rt.e, e.q));
      if ("pi" in b && k === 1n) return b;
      const G = 10 + 2 * ndig(k), S = p10(W + G);
      let base = fix(b, W) * p10(G), out = S, n = babs(k);
      for (; n; n >>= 1n) { if (n & 1n) out = (out * base) / S; base = (base * base) / S; }
      if (k < 0n) { if (!out) throw undef(); out = (S * S) / out; }
      return approx(out / p10(G), W);
    }
    if (isQ(b) && (b.q.n === 1n && b.q.d === 1n)) return b;
    if ("ex" in b && isQ(e)) return scaleEx(qmul(b.ex, e.q));
    if ("rt" in b && isQ(e)) return radical(b.rt.b, qmul(b.rt.e, e.q));
    const B = fix(b, W);
    if (B < 0n) throw fail("not a real number");
    if (B === 0n) { if (fix(e, W) > 0n) return isQ(b) ? b : approx(0n, W); throw undef(); }
    if (isQ(b) && isQ(e)) return radical(b.q, e.q);
    return expOf(approx((fix(e, W) * lnFix(B, W)) / p10(W), W), W);
  }
  // {rt: {b, e}} is b^e for b > 0 and e not whole, irrational (b is no perfect power), kept
  // exact as sympy keeps sqrt(2): so sqrt(2)^2 = 2, 2^(1/3) 2^(2/3) = 2, sqrt(8) sqrt(2) = 4.
  function radical(b, e) {
    if (e.d === 1n) return power(exact(b), exact(e), 0);
    if (b.n === 0n || qeq(b, ONE)) return exact(b);
    if (b.n < 0n) throw fail("not a real number");
    if (Math.abs((lnBig(b.n) - lnBig(b.d)) * (Number(e.n) / Number(e.d))) > LOG_LIMIT) throw big();
    const root = qroot(b, e.d);
    return root ? exact(qpow(root, e.n)) : { rt: { b, e } };
  }
  function radicals(l, r, sign) { // l * r or l / r of two radicals, when sympy joins them
    if (isQ(l) && "rt" in r && qsign(l.q) > 0 && r.rt.e.n === 1n) { // q b^(1/n) = (q^n b)^(1/n)
      const qn = qpow(l.q, r.rt.e.d);
      return radical(sign > 0 ? qmul(qn, r.rt.b) : qdiv(qn, r.rt.b), r.rt.e);
    }
    if (!("rt" in l && "rt" in r)) return null;
    if (qeq(l.rt.b, r.rt.b)) return radical(l.rt.b, sign > 0 ? qadd(l.rt.e, r.rt.e) : qsub(l.rt.e, r.rt.e));
    if (qeq(l.rt.e, r.rt.e)) return radical(sign > 0 ? qmul(l.rt.b, r.rt.b) : qdiv(l.rt.b, r.rt.b), l.rt.e);
    return null;
  }
  function expOf(v, W) {
    if (isQ(v)) return scaleEx(v.q);
    if ("lg" in v) return exact(v.lg); // exp(log 2) = 2
    const X = fix(v, W);
    if (babs(X) > BigInt(LOG_LIMIT) * p10(W)) throw big();
    return approx(expFix(X, W), W);
  }
  function logOf(v, W) {
    if ("ex" in v) return exact(v.ex);
    if (isQ(v) && v.q.n === v.q.d) return exact(ZERO);
    if (isQ(v) && v.q.n > 0n) return { lg: v.q };
    const X = fix(v, W);
    if (X <= 0n) throw undef();
    return approx(lnFix(X, W), W);
  }
  function exactLog(x, b) { // k with b^k = x for a simple fraction k, as symbolic._exact_log
    if (qsign(x) <= 0 || qsign(b) <= 0 || qeq(b, ONE)) return null;
    if (qeq(x, ONE)) return ZERO;
    const ln = (q) => lnBig(q.n) - lnBig(q.d), g = ln(x) / ln(b);
    const size = Math.max(bitlen(b.n), bitlen(b.d));
    for (let d = 1; d <= 64; d++) {
      const n = Math.round(g * d);
      if (n && Math.abs(g - n / d) < 1e-7 && Math.abs(n) * size <= 200000) {
        const k = Q(BigInt(n), BigInt(d));
        if (qeq(qpow(x, k.d), qpow(b, k.n))) return k;
      }
    }
    return null;
  }
  function lnBig(n) {
    const s = n.toString(), k = Math.max(0, s.length - 17);
    return Math.log(Number(s.slice(0, s.length - k))) + k * Math.LN10;
  }
  function trig(name, v, W) {
    if (isZero(v)) return exact(name === "cos" ? ONE : ZERO);
    if ("pi" in v) { // sin, cos, tan of rational multiples of pi that sympy writes exactly
      const t = qmod(name === "cos" ? qadd(v.pi, Q(1n, 2n)) : v.pi, Q(2n));
      const sixths = qmul(t, Q(6n));
      const halves = { 0: 0n, 1: 1n, 3: 2n, 5: 1n, 6: 0n, 7: -1n, 9: -2n, 11: -1n }[sixths.n];
      if (name !== "tan" && sixths.d === 1n && halves !== undefined) return exact(Q(halves, 2n));
      const quarters = qmul(qmod(v.pi, ONE), Q(4n));
      if (name === "tan" && quarters.d === 1n) {
        if (quarters.n === 2n) throw undef();
        return exact(Q([0n, 1n, 0n, -1n][Number(quarters.n)]));
      }
    }
    const [s, c] = sinCos(fix(v, W), W);
    if (name === "sin") return approx(s, W);
    if (name === "cos") return approx(c, W);
    if (!c) throw undef();
    return approx((s * p10(W)) / c, W);
  }
  function call(name, args, W) {
    const [x, b] = args;
    if (name === "exp") return expOf(x, W);
    if (name === "sqrt") return power(x, exact(Q(1n, 2n)), W);
    if (name === "log" || name === "ln") {
      if (b === undefined) return logOf(x, W);
      const k = isQ(x) && isQ(b) ? exactLog(x.q, b.q) : null;
      return k ? exact(k) : div(logOf(x, W), logOf(b, W), W);
    }
    return trig(name, x, W);
  }
  function evaluate(node, a, W) { // children left to right, as lessonkit's NumberSystem
    if ("num" in node) return exact(parseQ(node.num));
    if ("var" in node) return exact(a);
    if ("const" in node) return node.const === "pi" ? { pi: ONE } : { ex: ONE };
    if (node.op === "^" && node.args[0].const === "e") return expOf(evaluate(node.args[1], a, W), W);
    const args = node.args.map((n) => evaluate(n, a, W));
    if (node.call) return call(node.call, args, W);
    const [l, r] = args;
    switch (node.op) {
      case "neg": return neg(l, W);
      case "+": return add(l, r, 1, W);
      case "-": return add(l, r, -1, W);
      case "*": return mul(l, r, W);
      case "/": return div(l, r, W);
      default: return power(l, r, W);
    }
  }
  // The least log10 |value| over the nodes (exp(-9000) is 10^-3908.6 here, not 0): the fixed
  // point starts with that many more decimals, to keep 60 significant digits everywhere.
  function magnitudes(node, a) {
    let least = 0;
    const fl = (v) => ({ s: Math.sign(v), l: Math.log10(Math.abs(v)) }), val = (m) => m.s * 10 ** m.l;
    const go = (n) => {
      let m, f = n.call || n.op;
      if ("num" in n || "var" in n) {
        const q = "num" in n ? parseQ(n.num) : a;
        m = { s: qsign(q), l: (lnBig(babs(q.n)) - lnBig(q.d)) / Math.LN10 };
      } else if ("const" in n) m = fl(n.const === "pi" ? Math.PI : Math.E);
      else {
        const [x, y] = n.args.map(go), ys = f === "-" ? -(y || x).s : (y || x).s;
        if (f === "ln") f = "log";
        if (f === "neg") m = { s: -x.s, l: x.l };
        else if (f === "*" || f === "/") m = { s: x.s * y.s, l: f === "*" ? x.l + y.l : x.l - y.l };
        else if (f === "+" || f === "-") m = Math.max(Math.abs(x.l), Math.abs(y.l)) < 290 ? fl(val(x) + ys * val(y)) : x.l > y.l ? x : { s: ys, l: y.l };
        else if (f === "exp") m = { s: 1, l: val(x) / Math.LN10 };
        else if (f === "^") m = { s: x.s > 0 || val(y) % 2 === 0 ? 1 : -1, l: val(y) * x.l };
        else if (f === "sqrt") m = { s: 1, l: x.l / 2 };
        else m = fl(f === "log" ? x.l / (y ? y.l : Math.LOG10E) : Math[f](val(x)));
      }
      if (Number.isFinite(m.l)) least = Math.min(least, m.l);
      return m;
    };
    go(node);
    return Math.min(-least, 10100);
  }
  function round60(X, W) { // X/10^W to 60 significant digits, as a rational
    if (!X) return ZERO;
    const [m, e] = roundRat(babs(X), p10(W), 60);
    const q = e >= 0 ? Q(m * p10(e)) : Q(m, p10(-e));
    return X < 0n ? Q(-q.n, q.d) : q;
  }
  // The value of a tree at a: {q, exact}. Exact where sympy finds a rational value; otherwise
  // 60 significant digits, taken once two working precisions agree on them.
  function valueAt(tree, a) {
    for (let W = 90 + Math.ceil(magnitudes(tree, a)); W <= 24000; W *= 2) {
      const v1 = evaluate(tree, a, W), v2 = evaluate(tree, a, W + 20);
      if (isQ(v1) && isQ(v2) && qeq(v1.q, v2.q)) return { q: v1.q, exact: true };
      const X1 = fix(v1, W), r1 = round60(X1, W);
      if (ndig(X1) >= 66 && qeq(r1, round60(fix(v2, W + 20), W + 20))) return { q: r1, exact: false };
    }
    return { q: ZERO, exact: false };
  }
  function sign(tree, a, cos) { // -1, 0, 1 (|x| < 1e-50 is 0), null: no real value (sign_at)
    try {
      let v = evaluate(tree, a, 90);
      if (cos) v = trig("cos", v, 90);
      const X = fix(v, 90);
      return isQ(v) ? qsign(v.q) : babs(X) < p10(40) ? 0 : X > 0n ? 1 : -1;
    } catch (err) {
      if (!err.math) throw err;
      return null;
    }
  }
  function holds(c, a) { // one domain condition at a (domain.Condition.holds_at)
    if (c.kind === "cos") return ![0, null].includes(sign(c.node, a, true));
    if (c.kind === "ne1") return sign({ op: "-", args: [c.node, { num: "1" }] }, a) !== 0;
    const s = sign(c.node, a);
    if (s === null) return false;
    return c.kind === "ne" ? s !== 0 : c.kind === "gt" ? s > 0 : s >= 0;
  }
  const inDomain = (spec, a) => spec.conditions.every((c) => holds(c, a));

  // ---- text, as numbers.Value.text and numbers._round_significant
  function roundRat(n, d, P) { // n/d > 0 rounded half-even to P digits: [m, e], n/d ~ m*10^e
    let e = ndig(n) - ndig(d) - P;
    for (;;) {
      const num = e >= 0 ? n : n * p10(-e), den = e >= 0 ? d * p10(e) : d;
      let m = num / den;
      if (m < p10(P - 1)) { e--; continue; }
      if (m >= p10(P)) { e++; continue; }
      const r2 = 2n * (num - m * den);
      if (r2 > den || (r2 === den && m % 2n === 1n)) m++;
      return [m, e];
    }
  }
  function plain(c, e) { // the digits c times 10^e, as format(Decimal, "f")
    if (e >= 0) return c.toString() + "0".repeat(e);
    const s = c.toString().padStart(1 - e, "0");
    return s.slice(0, s.length + e) + "." + s.slice(s.length + e);
  }
  function terminates(q) {
    let d = q.d;
    while (d % 2n === 0n) d /= 2n;
    while (d % 5n === 0n) d /= 5n;
    return d === 1n;
  }
  function exactText(q) { // numbers.format_fraction
    let places = 0;
    while ((q.n * p10(places)) % q.d) places++;
    return (q.n < 0n ? "-" : "") + plain(babs((q.n * p10(places)) / q.d), -places);
  }
  function roundedText(q, digits) { // 60 digits half-even, then `digits` half-even
    if (q.n === 0n) return "0";
    const [m, e] = roundRat(babs(q.n), q.d, 60);
    const shift = ndig(m) - digits;
    const [c, e2] = roundRat(m, p10(shift), digits);
    let t = plain(c, e + shift + e2);
    if (t.includes(".")) t = t.replace(/0+$/, "").replace(/\.$/, "");
    return (q.n < 0n ? "-" : "") + t;
  }
  const shows = (v) => v.exact && terminates(v.q);
  const text = (v, digits) => (shows(v) ? exactText(v.q) : roundedText(v.q, digits));

  // ---- input
  function repr(s) { // Python's repr of a str, for messages
    return s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  }
  // Decimal text ("2", "0.001", "1e-3") as an exact {n, d}, refused as numbers.parse_number does.
  function parseDecimal(text, what = "number") {
    const s = String(text).trim(), len = [...s].length, no = (m) => { throw new Error(`${what} ${m}`); };
    const shown = repr(len <= 24 ? s : [...s].slice(0, 20).join("") + "...");
    if (len > 60) no(`${shown} is ${len} characters long; a number has at most 30 significant digits`);
    const m = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?$/.exec(s);
    if (!m) {
      if (["nan", "snan", "inf", "infinity"].includes(s.toLowerCase().replace(/^[+-]+/, ""))) no(`must be a finite number, got ${repr(String(text))}`);
      no(`must be a decimal number such as 2 or 0.001, got ${shown}`);
    }
    const frac = m[4] !== undefined ? m[4] : m[3];
    const coef = ((m[2] || "") + frac).replace(/^0+(?=.)/, "");
    const e = Number(m[5] || 0) - frac.length;
    if (coef.replace(/^0+|0+$/g, "").length > 30) no(`${shown} has more than 30 significant digits`);
    if (/^0+$/.test(coef)) return ZERO;
    if (Math.abs(e + coef.length - 1) > 300) no(`${repr(String(text))} is too large or too small to draw or print`);
    const n = BigInt((m[1] === "-" ? "-" : "") + coef);
    return e >= 0 ? Q(n * p10(e)) : Q(n, p10(-e));
  }

  // ---- floats for plotting
  function floatAt(node, x) { // NaN wherever Python's evaluate_float raises or gives no float
    let y;
    if ("num" in node) { const q = parseQ(node.num); y = Number(q.n) / Number(q.d); }
    else if ("var" in node) y = x;
    else if ("const" in node) y = node.const === "pi" ? Math.PI : Math.E;
    else {
      const v = node.args.map((n) => floatAt(n, x)), [l, r] = v;
      if (node.call) y = v.length === 2 ? Math.log(l) / Math.log(r) : Math[node.call === "ln" ? "log" : node.call](l);
      else if (node.op === "neg") y = -l;
      else if (node.op === "^") y = node.args[0].const === "e" ? Math.exp(r) : Math.pow(l, r);
      else y = { "+": l + r, "-": l - r, "*": l * r, "/": l / r }[node.op];
    }
    return Number.isFinite(y) ? y : NaN;
  }
  function numericZeros(g, lo, hi) { // breaks._numeric_zeros: sampling and bisection
    const n = 2048, xs = [], ys = [], out = [], fin = Number.isFinite;
    for (let i = 0; i <= n; i++) ys.push(g((xs[i] = lo + ((hi - lo) * i) / n)));
    const scale = Math.max(0, ...ys.filter(fin).map(Math.abs)) || 1;
    const bisect = (x0, x1, test) => {
      for (let k = 0, t0 = test(x0); k < 80; k++) {
        const mid = (x0 + x1) / 2;
        if (test(mid) === t0) x0 = mid; else x1 = mid;
      }
      return (x0 + x1) / 2;
    };
    for (let i = 0; i <= n; i++) if (ys[i] === 0) out.push(xs[i]);
    for (let i = 0; i < n; i++) {
      if (fin(ys[i]) !== fin(ys[i + 1])) out.push(bisect(xs[i], xs[i + 1], (x) => fin(g(x))));
      else if (ys[i] * ys[i + 1] < 0) out.push(bisect(xs[i], xs[i + 1], (x) => g(x) > 0));
    }
    for (let i = 1; i < n; i++) { // a minimum of |g| that touches 0
      const [y0, y1, y2] = [ys[i - 1], ys[i], ys[i + 1]].map(Math.abs);
      if (![y0, y1, y2].every(fin) || y1 > y0 || y1 > y2 || y1 > 1e-3 * scale) continue;
      let a = xs[i - 1], b = xs[i + 1];
      for (let k = 0; k < 100; k++) {
        const m1 = a + (b - a) / 3, m2 = b - (b - a) / 3;
        if (Math.abs(g(m1)) < Math.abs(g(m2))) b = m2; else a = m1;
      }
      if (Math.abs(g((a + b) / 2)) <= 1e-9 * scale) out.push((a + b) / 2);
    }
    return out;
  }
  function breaks(spec, lo, hi) { // breaks.breaks_of
    if (!(Number.isFinite(lo) && Number.isFinite(hi)) || hi < lo) return [];
    const found = [];
    for (const b of spec.breaks) {
      if (b.roots) found.push(...b.roots);
      else if (b.cos_linear) {
        const [c1, c0] = b.cos_linear, e = [lo, hi].map((x) => (x * c1 + c0) / Math.PI - 0.5).sort((u, v) => u - v);
        for (let k = Math.floor(e[0]) - 1; k < Math.ceil(e[1]) + 2; k++) found.push((Math.PI / 2 + k * Math.PI - c0) / c1);
      } else found.push(...numericZeros(b.zeros ? (x) => floatAt(b.zeros, x) : (x) => floatAt({ call: "cos", args: [b.cos_zeros] }, x), lo, hi));
    }
    const eps = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi)), out = [];
    for (const x of found.filter((x) => lo - eps <= x && x <= hi + eps).sort((u, v) => u - v)) {
      if (!out.length || x - out[out.length - 1] > 1e-9 * Math.max(1, Math.abs(x))) out.push(Math.min(Math.max(x, lo), hi));
    }
    return out;
  }
  function formatG(x) { // Python's format(x, "g")
    if (x === 0) return Object.is(x, -0) ? "-0" : "0";
    const strip = (t) => (t.includes(".") ? t.replace(/0+$/, "").replace(/\.$/, "") : t);
    const [m, ex] = x.toExponential(5).split("e"), p = Number(ex);
    if (p < -4 || p >= 6) return `${strip(m)}e${p < 0 ? "-" : "+"}${String(Math.abs(p)).padStart(2, "0")}`;
    return strip(x.toFixed(5 - p));
  }

  // ---- one table row
  const KEYS = ["a", "da", "f_a", "f_a_plus_da", "df", "ratio", "slope", "gap"];
  const sub = (x, y) => ({ q: qsub(x.q, y.q), exact: x.exact && y.exact });
  const toNumber = (q) => parseFloat(exactText(q));
  function row(spec, aText, daText, digits = 10) {
    // the checks of ClipSpec, check_nudge, check_point and nudge, with their messages
    const no = (message) => { throw new Error(message); };
    if (!Number.isInteger(digits) || digits < 1 || digits > 30) no(`digits must be a whole number from 1 to 30, got ${digits}`);
    const a = parseDecimal(aText, "--at"), da = parseDecimal(daText, "nudge"), b = qadd(a, da);
    const lim = spec.limits, over = (x, t) => qsign(qsub(Q(babs(x.n), x.d), parseQ(t))) > 0;
    if (qsign(da) <= 0) no(`a nudge must be positive (Δa > 0), got ${exactText(da)}`);
    if (qsign(qsub(da, parseQ(lim.min_nudge))) < 0) no(`a nudge of ${exactText(da)} is too small: use Δa >= 1e-12`);
    if (over(da, lim.max_nudge)) no(`a nudge of ${exactText(da)} is too large: use Δa <= ${lim.max_nudge}`);
    if (over(a, lim.max_abs_point)) no(`--at ${qstr(a)} is too large: use a point with |a| <= ${lim.max_abs_point}`);
    const only = `${spec.called} is defined only for ${spec.domain}`;
    if (!inDomain(spec, a)) no(`${only}, so a = ${exactText(a)} is outside its domain`);
    if (!inDomain(spec, b)) no(`${only}; a+Δa = ${exactText(b)} is outside it`);
    const at = (tree, q, f) => { // messages as expression.magnitude.guard and symbolic._value
      try { return valueAt(tree, q); } catch (err) {
        if (!err.math) throw err;
        const point = qstr(q).length <= 30 ? qstr(q) : formatG(toNumber(q));
        no(err.message === "too large to compute" ? `${spec.source} is ${err.message} at a = ${point}` : `${f}(${point}) is undefined`);
      }
    };
    const fa = at(spec.f, a, "f"), fb = at(spec.f, b, "f"), df = sub(fb, fa);
    const ratio = { q: qdiv(df.q, da), exact: df.exact }, slope = at(spec.df, a, "f'");
    for (const v of [fa, fb, ratio, slope]) {
      if (over(v.q, "1" + "0".repeat(300))) no(`${spec.called} at a = ${exactText(a)} overflows: choose a smaller point`);
    }
    const lo = toNumber(a), hi = toNumber(b), inside = breaks(spec, lo, hi).filter((x) => lo < x && x < hi);
    if (inside.length) no(`${spec.formula} is undefined at a = ${formatG(inside[0])}, between the points and their nudges: choose points on one side of it`);
    const values = [{ q: a, exact: 1 }, { q: da, exact: 1 }, fa, fb, df, ratio, slope, sub(ratio, slope)];
    const out = { function: spec.name };
    values.forEach((v, i) => { out[KEYS[i]] = text(v, digits); });
    out.rounded = KEYS.filter((k, i) => !shows(values[i]));
    return out;
  }

  // value: f(x) as a float for plotting, NaN where f has no value (Function.__call__)
  root.LessonkitMath = { row, parseDecimal, value: (spec, x) => floatAt(spec.f, Number(x)) };
})(typeof globalThis !== "undefined" ? globalThis : this);
