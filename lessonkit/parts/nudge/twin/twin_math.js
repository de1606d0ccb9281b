// twin_math.js: LessonkitMath.row(spec, a, da, digits, side = "right") is the row `lessonkit
// table --format json --side right|left` prints, kink(spec, a) its kink record or null.
// spec: from lessonkit/parts/nudge/twin/functions.py (no eval, no dependencies); a, da: decimal
// text, side: "right" or "left"; a row's Δa is negative from the left, and at a kink its slope
// the one from its side. Exact parts are BigInt fractions; the rest is BigInt fixed point (X
// stands for X/10^W), raised until two precisions agree on the 60 significant digits Python
// keeps (numbers.WORKING_DIGITS).
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
  // in [0, m)
  const qmod = (x, m) => qsub(x, qmul(Q(qfloor(qdiv(x, m))), m));
  // str(Fraction)
  const qstr = (x) => (x.d === 1n ? `${x.n}` : `${x.n}/${x.d}`);
  const P10 = [];
  const p10 = (k) => P10[k] || (P10[k] = 10n ** BigInt(k));
  const ndig = (x) => (x === 0n ? 0 : babs(x).toString().length);
  // within 3 bits: enough for a first guess
  const bitlen = (x) => x.toString(16).length * 4;
  // "2.5" or "1/3" (tree literals)
  function parseQ(t) {
    const [p, q] = t.split("/");
    if (q) return Q(BigInt(p), BigInt(q));
    const [i, f = ""] = p.split(".");
    return Q(BigInt(i + f), p10(f.length));
  }
  // floor(n^(1/k)) for n >= 0, from a guess x >= it
  function iroot(n, k, x) {
    if (n < 2n) return n;
    x = x || 1n << BigInt(Math.ceil(bitlen(n) / Number(k)) + 1);
    for (;;) {
      const y = ((k - 1n) * x + n / x ** (k - 1n)) / k;
      if (y >= x) return x;
      x = y;
    }
  }
  // the exact k-th root of x >= 0, or null
  function qroot(x, k) {
    // 2^k > v
    if ([x.n, x.d].some((v) => v > 1n && k > BigInt(bitlen(v)))) return null;
    const n = iroot(x.n, k), d = iroot(x.d, k);
    return n ** k === x.n && d ** k === x.d ? { n, d } : null;
  }

  // ---- fixed point at W decimals
  const memo = {};
  const cached = (key, f) => (key in memo ? memo[key] : (memo[key] = f()));
  // atan(1/k) or atanh(1/k), times S
  function atanInv(k, S, hyperbolic) {
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
  // k ln 2 + 2^h ln(m^(1/2^h)), ln y = 2 atanh((y-1)/(y+1))
  function lnFix(X, W) {
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
  // 2^n e^r, r = x - n ln 2, e^r = (e^(r/2^h))^(2^h)
  function expFix(X, W) {
    const h = halvings(W), G = 20 + h, S = p10(W + G), L = LN2(W + G);
    X *= p10(G);
    const n = X / L, r = (X - n * L) >> BigInt(h);
    let t = S, sum = S, i = 1n;
    while (t) { t = (t * r) / (S * i); sum += t; i++; }
    for (let j = 0; j < h; j++) sum = (sum * sum) / S;
    return (n >= 0n ? sum << n : sum >> -n) / p10(G);
  }
  // [sin, cos]: by multiples of pi/2, halvings, then double angles
  function sinCos(X, W) {
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
  // |ln x| beyond this is refused, as expression.magnitude.guard does
  const LOG_LIMIT = 23000;
  // f has no value here
  const fail = (why) => Object.assign(new Error(why), { math: true });
  // How a tree is evaluated: guard for f (magnitude.guard: every part within LOG_LIMIT;
  // f' has only its value checked, at 40000 bits, as symbolic._value does, so here twice
  // LOG_LIMIT); side 0, 1 or -1: a step or sign whose argument is 0 takes the sign it has
  // just right (1) or left (-1) of a (kinks.one_sided), or "tie": the libraries' value, the
  // steps and signs met there noted in `met` (kinks.convention).
  let mode = { guard: true };
  const withMode = (m, f) => { const old = mode; mode = m; try { return f(); } finally { mode = old; } };
  const limit = () => (mode.guard ? LOG_LIMIT : 2 * LOG_LIMIT), TINY = "too large or too small to compute";
  const big = () => fail(mode.guard ? "too large to compute" : TINY);
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
  // checked against the magnitude limit
  function approx(X, W) {
    if (X && Math.abs(ndig(X) - W) > limit() / Math.LN10) throw big();
    return { x: X };
  }

  function add(l, r, sign, W) {
    if (isZero(r)) return l;
    if (isZero(l)) return sign > 0 ? r : neg(r, W);
    if (isQ(l) && isQ(r)) return exact(sign > 0 ? qadd(l.q, r.q) : qsub(l.q, r.q));
    if ("pi" in l && "pi" in r) return scalePi(sign > 0 ? qadd(l.pi, r.pi) : qsub(l.pi, r.pi));
    const st = isQ(l) && r.sg ? stable(l.q, r.sg, sign > 0 ? r.sg.c : qneg(r.sg.c), W)
      : isQ(r) && l.sg && stable(sign > 0 ? r.q : qneg(r.q), l.sg, l.sg.c, W);
    if (st) return st;
    if (sign < 0 && r.th2 && qeq(l.q || ZERO, ONE)) return sech2(r.th2, W);
    const x = fix(l, W), y = fix(r, W), s = sign > 0 ? x + y : x - y;
    const m = babs(x) > babs(y) ? babs(x) : babs(y);
    // like terms cancel in sympy (exp(-1) - exp(-1) = 0): so do W-25 digits of known operands
    // (valueAt makes sure with more digits: sympy finds 1 - tanh(300) ~ 10^-261)
    if (m > p10(50) && babs(s) * p10(W - 25) < m) { cancelled = true; return exact(ZERO); }
    return approx(s, W);
  }
  let cancelled = false;
  const qneg = (x) => Q(-x.n, x.d);
  // sympy_functions.stable: t + c σ(x) with c = -t is t σ(-x), and 1 - tanh²(x) is 1/cosh²(x),
  // so that far tails keep their digits. A value {x} may carry sg = {arg, c}: it is c σ(arg)
  // (c: a number it was multiplied by); th: it is tanh(th), th2: tanh²(th2).
  const stable = (t, g, c, W) => qeq(c, qneg(t)) && mul(exact(t), sigmoidOf(neg(g.arg, W), W), W);
  // 4E/(1 + E)², E = e^-2|x|
  const sech2 = (v, W, S = p10(W), E = expFix(-2n * babs(fix(v, W)), W)) => approx((4n * E * S * S) / ((S + E) * (S + E)), W);
  const retag = (v, g, q) => (g ? Object.assign(v, { sg: { arg: g.arg, c: qmul(g.c, q) } }) : v);
  const scalePi = (c) => (c.n === 0n ? exact(ZERO) : { pi: c });
  const scaleEx = (c) => {
    if (babs(c.n) > BigInt(limit()) * c.d) throw big();
    return c.n === 0n ? exact(ONE) : { ex: c };
  };
  function neg(v, W) {
    if (isQ(v)) return exact(Q(-v.q.n, v.q.d));
    if ("pi" in v) return { pi: Q(-v.pi.n, v.pi.d) };
    // -log q = log(1/q)
    if ("lg" in v) return { lg: qdiv(ONE, v.lg) };
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
    const [q, o] = isQ(l) ? [l.q, r] : [isQ(r) && r.q, l];
    // k log q = log q^k (sympy: e^(2 log 3) = 9, σ(2 log 3) = 9/10)
    if (q && q.d === 1n && "lg" in o && bitlen(o.lg.n * o.lg.d) * Number(babs(q.n)) < 9999) return { lg: qpow(o.lg, q.n) };
    const out = approx((fix(l, W) * fix(r, W)) / p10(W), W);
    return q ? retag(out, o.sg, q) : out;
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
    // integer exponent k
    if (isQ(e) && e.q.d === 1n) {
      const k = e.q.n;
      if (k === 0n) return exact(ONE);
      if (isQ(b)) {
        if (b.q.n === 0n) { if (k < 0n) throw undef(); return b; }
        if (Math.abs((lnBig(babs(b.q.n)) - lnBig(b.q.d)) * Number(k)) > limit()) throw big();
        return exact(qpow(b.q, k));
      }
      if ("ex" in b) return scaleEx(qmul(b.ex, e.q));
      if ("rt" in b) return radical(b.rt.b, qmul(b.rt.e, e.q));
      if ("pi" in b && k === 1n) return b;
      const G = 10 + 2 * ndig(k), S = p10(W + G);
      let base = fix(b, W) * p10(G), out = S, n = babs(k);
      for (; n; n >>= 1n) { if (n & 1n) out = (out * base) / S; base = (base * base) / S; }
      if (k < 0n) { if (!out) throw undef(); out = (S * S) / out; }
      return Object.assign(approx(out / p10(G), W), k === 2n && { th2: b.th });
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
    if (Math.abs((lnBig(b.n) - lnBig(b.d)) * (Number(e.n) / Number(e.d))) > limit()) throw big();
    const root = qroot(b, e.d);
    return root ? exact(qpow(root, e.n)) : { rt: { b, e } };
  }
  // l * r or l / r of two radicals, when sympy joins them
  function radicals(l, r, sign) {
    // q b^(1/n) = (q^n b)^(1/n)
    if (isQ(l) && "rt" in r && qsign(l.q) > 0 && r.rt.e.n === 1n) {
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
    // exp(log 2) = 2
    if ("lg" in v) return exact(v.lg);
    const X = fix(v, W);
    if (babs(X) > BigInt(limit()) * p10(W)) throw big();
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
  // k with b^k = x for a simple fraction k, as symbolic._exact_log
  function exactLog(x, b) {
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
    // sin, cos, tan of rational multiples of pi that sympy writes exactly
    if ("pi" in v) {
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
  // ---- the activations (sympy_functions): exact where sympy is (σ(0) = 1/2, σ(log 3) = 3/4,
  // softplus(0) = log 2; tanh(log 3) = 4/5 in f, whose tanh is sympy_functions.tanh)
  // the sign of a value; tiny: |x| < 10^-50 is 0 (kinks._sign)
  function signOf(v, W, tiny) {
    if (isQ(v)) return qsign(v.q);
    if ("pi" in v) return qsign(v.pi);
    if ("lg" in v) return qsign(qsub(v.lg, ONE));
    if ("ex" in v || "rt" in v) return 1;
    const X = fix(v, W);
    return babs(X) < (tiny ? p10(W - 50) : 1n) ? 0 : X > 0n ? 1 : -1;
  }
  // σ(x) and softplus(x) are refused where e^x is out of reach
  const tail = (v, W, X = fix(v, W)) => { if (X < -BigInt(limit()) * p10(W)) throw big(); return X; };
  // e^v where it is rational (v = 0 or log q), else undefined
  const ratExp = (v) => (isZero(v) ? ONE : v.lg);
  function sigmoidOf(v, W, R = ratExp(v)) {
    if (R) return exact(qdiv(R, qadd(R, ONE)));
    const X = tail(v, W), S = p10(W), E = expFix(X >= 0n ? -X : X, W);
    return { x: X >= 0n ? (S * S) / (S + E) : (E * S) / (S + E), sg: { arg: v, c: ONE } };
  }
  // (1 - e^-2|x|)/(1 + e^-2|x|), signed
  function tanhOf(v, W, R = ratExp(v)) {
    if (isZero(v)) return exact(ZERO);
    if (R && mode.guard) return exact(qsub(ONE, qdiv(Q(2n), qadd(qmul(R, R), ONE))));
    const X = fix(v, W), S = p10(W), E = expFix(-2n * babs(X), W), T = ((S - E) * S) / (S + E);
    return { x: X < 0n ? -T : T, th: v };
  }
  // max(x, 0) + log(1 + e^-|x|)
  function softplusOf(v, W, R = ratExp(v)) {
    if (R) return { lg: qadd(R, ONE) };
    const X = tail(v, W), S = p10(W);
    return { x: X >= 0n ? X + lnFix(S + expFix(-X, W), W) : lnFix(S + expFix(X, W), W) };
  }
  // sympy_functions._Larger: max's x where x - y >= 0, min's y
  const larger = (name, x, y, W) => ((signOf(add(x, y, -1, W), W) >= 0) === (name === "max") ? x : y);
  // step(h), sign(h); where h = 0, as the mode says
  function stepOf(node, h, a, W) {
    let s = signOf(h, W, true);
    if (s === 0) {
      if (mode.side === "tie") {
        mode.met[node.tie === "0" ? node.call : "tie"] = 1;
        return exact(parseQ(node.tie));
      }
      // a possible kink (kinks.zero_switches): slopes takes each side
      if (!mode.side) throw { zero: 1 };
      s = beside(node, a, mode.side);
    }
    return exact(Q(BigInt(node.call === "sign" ? s : +(s > 0))));
  }
  // the sign of h just beside a zero (kinks._side_sign)
  // (where none of its first derivatives tells, lessonkit cannot tell either: it names h)
  function beside(node, a, side) {
    for (let n = 0; n < node.turns.length; n++) {
      // of the (n+1)-th derivative, times side^(n+1)
      const d = sign(node.turns[n], a);
      if (d) return n % 2 === 0 && side < 0 ? -d : d;
    }
    throw undef();
  }
  function call(name, args, W) {
    const [x, b] = args;
    if (name === "sigmoid") return sigmoidOf(x, W);
    if (name === "tanh") return tanhOf(x, W);
    if (name === "softplus") return softplusOf(x, W);
    if (name === "relu") return signOf(x, W) > 0 ? x : exact(ZERO);
    if (name === "abs") return signOf(x, W) < 0 ? neg(x, W) : x;
    if (name === "max" || name === "min") return larger(name, x, b, W);
    if (name === "exp") return expOf(x, W);
    if (name === "sqrt") return power(x, exact(Q(1n, 2n)), W);
    if (name === "log" || name === "ln") {
      if (b === undefined) return logOf(x, W);
      const k = isQ(x) && isQ(b) ? exactLog(x.q, b.q) : null;
      return k ? exact(k) : div(logOf(x, W), logOf(b, W), W);
    }
    return trig(name, x, W);
  }
  // children left to right, as lessonkit's NumberSystem
  function evaluate(node, a, W) {
    if ("num" in node) return exact(parseQ(node.num));
    if ("var" in node) return exact(a);
    if ("const" in node) return node.const === "pi" ? { pi: ONE } : { ex: ONE };
    if (node.op === "^" && node.args[0].const === "e") return expOf(evaluate(node.args[1], a, W), W);
    const args = node.args.map((n) => evaluate(n, a, W));
    if (node.call === "step" || node.call === "sign") return stepOf(node, args[0], a, W);
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
        else m = fl(f === "log" ? x.l / (y ? y.l : Math.LOG10E) : (FLOATS[f] || Math[f])(val(x), y && val(y)));
      }
      if (Number.isFinite(m.l)) least = Math.min(least, m.l);
      return m;
    };
    go(node);
    return Math.min(-least, 10100);
  }
  // X/10^W to 60 significant digits, as a rational
  function round60(X, W) {
    if (!X) return ZERO;
    const [m, e] = roundRat(babs(X), p10(W), 60);
    const q = e >= 0 ? Q(m * p10(e)) : Q(m, p10(-e));
    return X < 0n ? Q(-q.n, q.d) : q;
  }
  // The value of a tree at a: {q, exact}. Exact where sympy finds a rational value; otherwise
  // 60 significant digits, taken once two working precisions agree on them.
  // A value beyond 2^±40000 is refused, as symbolic._value does (f never gets there).
  function valueAt(tree, a) {
    for (let W = 90 + Math.ceil(magnitudes(tree, a)); W <= 24000; W *= 2) {
      cancelled = false;
      const v1 = evaluate(tree, a, W), v2 = evaluate(tree, a, W + 20);
      if (isQ(v1) && isQ(v2) && qeq(v1.q, v2.q)) {
        // where terms cancelled (like terms, or nearly?), 700 digits more tell, as deep as sympy
        // goes (it finds 1 - tanh(700) ~ 10^-608, not 1 - tanh(800))
        const v3 = cancelled ? evaluate(tree, a, W + 700) : v1;
        if (isQ(v3) && qeq(v3.q, v1.q)) return { q: v1.q, exact: true };
        continue;
      }
      const X1 = fix(v1, W), r1 = round60(X1, W);
      if (ndig(X1) >= 66 && qeq(r1, round60(fix(v2, W + 20), W + 20))) {
        if (Math.abs(lnBig(babs(r1.n)) - lnBig(r1.d)) > 27726) throw fail(TINY);
        return { q: r1, exact: false };
      }
    }
    return { q: ZERO, exact: false };
  }
  // -1, 0, 1 (|x| < 1e-50 is 0), null: no real value (sign_at)
  function sign(tree, a, cos) {
    try {
      let v = evaluate(tree, a, 90);
      if (cos) v = trig("cos", v, 90);
      return signOf(v, 90, true);
    } catch (err) {
      if (!err.math) throw err;
      return null;
    }
  }
  // one domain condition at a (domain.Condition.holds_at)
  function holds(c, a) {
    if (c.kind === "cos") return ![0, null].includes(sign(c.node, a, true));
    if (c.kind === "ne1") return sign({ op: "-", args: [c.node, { num: "1" }] }, a) !== 0;
    const s = sign(c.node, a);
    if (s === null) return false;
    return c.kind === "ne" ? s !== 0 : c.kind === "gt" ? s > 0 : s >= 0;
  }
  const inDomain = (spec, a) => spec.conditions.every((c) => holds(c, a));

  // ---- text, as numbers.Value.text and numbers._round_significant
  // n/d > 0 rounded half-even to P digits: [m, e], n/d ~ m*10^e
  function roundRat(n, d, P) {
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
  // the digits c times 10^e, as format(Decimal, "f")
  function plain(c, e) {
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
  // numbers.format_fraction
  function exactText(q) {
    let places = 0;
    while ((q.n * p10(places)) % q.d) places++;
    return (q.n < 0n ? "-" : "") + plain(babs((q.n * p10(places)) / q.d), -places);
  }
  // 60 digits half-even, then `digits` half-even
  function roundedText(q, digits) {
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
  // Python's repr of a str, for messages
  function repr(s) {
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
  // evaluation._Floats: Python's max(x, y) is y only where y > x
  const FLOATS = {
    sigmoid: (x, z = Math.exp(-Math.abs(x))) => (x >= 0 ? 1 / (1 + z) : z / (1 + z)),
    softplus: (x) => (0 > x ? 0 : x) + Math.log1p(Math.exp(-Math.abs(x))),
    relu: (x) => (0 > x ? 0 : x), max: Math.max, min: Math.min,
    step: (x) => (x ? +(x > 0) : NaN), sign: (x) => (x ? Math.sign(x) : NaN),
  };
  // NaN wherever Python's evaluate_float raises or gives no float
  function floatAt(node, x) {
    let y;
    if ("num" in node) { const q = parseQ(node.num); y = Number(q.n) / Number(q.d); }
    else if ("var" in node) y = x;
    else if ("const" in node) y = node.const === "pi" ? Math.PI : Math.E;
    else {
      const v = node.args.map((n) => floatAt(n, x)), [l, r] = v;
      if (node.call in FLOATS) y = FLOATS[node.call](l, r);
      else if (node.call) y = v.length === 2 ? Math.log(l) / Math.log(r) : Math[node.call === "ln" ? "log" : node.call](l);
      else if (node.op === "neg") y = -l;
      else if (node.op === "^") y = node.args[0].const === "e" ? Math.exp(r) : Math.pow(l, r);
      else y = { "+": l + r, "-": l - r, "*": l * r, "/": l / r }[node.op];
    }
    return Number.isFinite(y) ? y : NaN;
  }
  // breaks._numeric_zeros: sampling and bisection
  function numericZeros(g, lo, hi) {
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
    // a zero, or the two ends of a run of zeros (relu(a), a <= 0)
    for (let i = 0; i <= n; i++) {
      if (ys[i] === 0 && !(i > 0 && i < n && ys[i - 1] === 0 && ys[i + 1] === 0)) out.push(xs[i]);
    }
    for (let i = 0; i < n; i++) {
      if (fin(ys[i]) !== fin(ys[i + 1])) out.push(bisect(xs[i], xs[i + 1], (x) => fin(g(x))));
      else if (ys[i] * ys[i + 1] < 0) out.push(bisect(xs[i], xs[i + 1], (x) => g(x) > 0));
    }
    // a minimum of |g| that touches 0
    for (let i = 1; i < n; i++) {
      const [y0, y1, y2] = [ys[i - 1], ys[i], ys[i + 1]].map(Math.abs);
      if (![y0, y1, y2].every(fin) || y1 > y0 || y1 > y2 || y1 > 1e-3 * scale || y1 === 0) continue;
      let a = xs[i - 1], b = xs[i + 1];
      for (let k = 0; k < 100; k++) {
        const m1 = a + (b - a) / 3, m2 = b - (b - a) / 3;
        if (Math.abs(g(m1)) < Math.abs(g(m2))) b = m2; else a = m1;
      }
      if (Math.abs(g((a + b) / 2)) <= 1e-9 * scale) out.push((a + b) / 2);
    }
    return out;
  }
  // breaks.breaks_of
  function breaks(spec, lo, hi) {
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
  // Python's format(x, "g")
  function formatG(x) {
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
  // f or f' at q in mode m; messages as expression.magnitude.guard and symbolic._value
  function at(spec, tree, q, m) {
    try { return withMode(m, () => valueAt(tree, q)); } catch (err) {
      if (!err.math) throw err;
      const p = qstr(q).length <= 30 ? qstr(q) : formatG(toNumber(q)), e = err.message;
      throw new Error(e === "too large to compute" ? `${spec.source} is ${e} at a = ${p}`
        : `f${m.guard ? "" : "'"}(${p}${m.side > 0 ? "+" : m.side < 0 ? "-" : ""}) is ${e === "undefined" ? e : TINY}`);
    }
  }
  // [from the right, from the left]: f'(a) twice where no switch of its steps is 0
  function slopes(spec, a) {
    try { return ((v) => [v, v])(at(spec, spec.df, a, {})); } catch (err) {
      if (!err.zero) throw err;
      return [1, -1].map((side) => at(spec, spec.df, a, { side }));
    }
  }
  const GUARD = { guard: true };
  const same = (x, y) => qeq(x.q, y.q) && !x.exact === !y.exact;
  function row(spec, aText, daText, digits = 10, side = "right") {
    // the checks of ClipSpec, check_nudge, check_point and nudge, with their messages
    const no = (message) => { throw new Error(message); };
    if (!Number.isInteger(digits) || digits < 1 || digits > 30) no(`digits must be a whole number from 1 to 30, got ${digits}`);
    const a = parseDecimal(aText, "--at"), da = parseDecimal(daText, "nudge");
    if (side !== "right" && side !== "left") no(`side must be right or left, got ${side}`);
    const step = side === "left" ? qneg(da) : da, b = qadd(a, step);
    const lim = spec.limits, over = (x, t) => qsign(qsub(Q(babs(x.n), x.d), parseQ(t))) > 0;
    if (qsign(da) <= 0) no(`a nudge must be positive (Δa > 0), got ${exactText(da)}`);
    if (qsign(qsub(da, parseQ(lim.min_nudge))) < 0) no(`a nudge of ${exactText(da)} is too small: use Δa >= 1e-12`);
    if (over(da, lim.max_nudge)) no(`a nudge of ${exactText(da)} is too large: use Δa <= ${lim.max_nudge}`);
    if (over(a, lim.max_abs_point)) no(`--at ${qstr(a)} is too large: use a point with |a| <= ${lim.max_abs_point}`);
    const only = `${spec.called} is defined only for ${spec.domain}`;
    if (!inDomain(spec, a)) no(`${only}, so a = ${exactText(a)} is outside its domain`);
    if (!inDomain(spec, b)) no(`${only}; a+Δa = ${exactText(b)} is outside it`);
    const fa = at(spec, spec.f, a, GUARD), fb = at(spec, spec.f, b, GUARD), df = sub(fb, fa);
    // at a kink, the slope of the row's own side
    const [right, left] = slopes(spec, a);
    const ratio = { q: qdiv(df.q, step), exact: df.exact }, slope = side === "left" ? left : right;
    for (const v of [fa, fb, ratio, slope]) {
      if (over(v.q, "1" + "0".repeat(300))) no(`${spec.called} at a = ${exactText(a)} overflows: choose a smaller point`);
    }
    // ClipSpec looks for breaks from a-Δa (when nudged from the left) to a+Δa
    const lo = toNumber(side === "left" ? b : a), hi = toNumber(qadd(a, da));
    const inside = breaks(spec, lo, hi).filter((x) => lo < x && x < hi);
    if (inside.length) no(`${spec.formula} is undefined at a = ${formatG(inside[0])}, between the points and their nudges: choose points on one side of it`);
    const values = [{ q: a, exact: 1 }, { q: step, exact: 1 }, fa, fb, df, ratio, slope, sub(ratio, slope)];
    const out = { function: spec.name };
    values.forEach((v, i) => { out[KEYS[i]] = text(v, digits); });
    out.side = side;
    out.rounded = KEYS.filter((k, i) => !shows(values[i]));
    return out;
  }
  // The record of render_json's "kinks" for a point, or null where f has a derivative there.
  function kink(spec, aText) {
    const a = parseDecimal(aText, "--at");
    let s;
    // no slope on a side (sqrt(relu(a)) at 0) is no kink either (kinks.is_kink)
    try { s = inDomain(spec, a) && at(spec, spec.f, a, GUARD) && slopes(spec, a); } catch (err) { return null; }
    if (!s || same(...s)) return null;
    const met = {}, conv = at(spec, spec.df, a, { side: "tie", met });
    // kinks.libraries: JAX gives |x|' = 1 at 0, TensorFlow a tie of max or min to its first
    const by = ["PyTorch", ...(met.tie ? [] : ["TensorFlow"]), ...(met.sign ? [] : ["JAX"])];
    return { a: exactText(a), right: text(s[0], 10), left: text(s[1], 10), convention: text(conv, 10),
      by: by.length > 1 ? `${by.slice(0, -1).join(", ")} and ${by.pop()}` : by[0] };
  }

  // value: f(x) as a float for plotting, NaN where f has no value (Function.__call__)
  root.LessonkitMath = { row, kink, parseDecimal, value: (spec, x) => floatAt(spec.f, Number(x)) };
})(typeof globalThis !== "undefined" ? globalThis : this);
