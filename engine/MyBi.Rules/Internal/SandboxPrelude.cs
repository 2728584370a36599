using Acornima.Ast;
using Jint;

namespace MyBi.Rules.Internal;

/// <summary>
/// JavaScript run before every rule. Jint's memory limit notices an allocation only after it happened, so the
/// built-ins that can make one huge string in a single call check the result size first and throw a RangeError
/// instead. Originals stay in this closure, out of the rule's reach; only host-independent code lives here.
/// </summary>
internal static class SandboxPrelude
{
    private const string Source = """
        (function (maxLen, stringify) {
          'use strict';
          const apply = Reflect.apply;
          const defineProperty = Object.defineProperty;
          const toObject = Object;
          const trunc = Math.trunc;
          const RangeErrorCtor = RangeError;
          const TypeErrorCtor = TypeError;
          const replaceSymbol = Symbol.replace;
          const orig = {
            repeat: String.prototype.repeat,
            padStart: String.prototype.padStart,
            padEnd: String.prototype.padEnd,
            replace: String.prototype.replace,
            replaceAll: String.prototype.replaceAll,
            regexpReplace: RegExp.prototype[replaceSymbol],
          };
          const joining = [];

          function install(target, name, fn) {
            defineProperty(target, name, { value: fn, writable: true, enumerable: false, configurable: true });
          }
          function tooLong(what, n) {
            return new RangeErrorCtor(what + ' would build a string of ' + n + ' characters; rules allow at most ' + maxLen);
          }
          function thisString(self, method) {
            if (self === null || self === undefined) {
              throw new TypeErrorCtor('String.prototype.' + method + ' called on null or undefined');
            }
            return `${self}`;
          }
          function lengthOf(o) {
            const n = trunc(+o.length);
            return n > 0 ? n : 0;
          }
          function joinGuarded(self, separator, what, toText) {
            if (self === null || self === undefined) {
              throw new TypeErrorCtor('Array.prototype.' + what + ' called on null or undefined');
            }
            const o = toObject(self);
            for (let j = 0; j < joining.length; j++) {
              if (joining[j] === o) return '';
            }
            const len = lengthOf(o);
            const sep = separator === undefined ? ',' : `${separator}`;
            if (len > 1 && (len - 1) * sep.length > maxLen) throw tooLong(what, (len - 1) * sep.length);
            joining[joining.length] = o;
            try {
              let out = '';
              for (let i = 0; i < len; i++) {
                const e = o[i];
                const p = e === undefined || e === null ? '' : toText(e);
                const n = out.length + (i > 0 ? sep.length : 0) + p.length;
                if (n > maxLen) throw tooLong(what, n);
                out = i > 0 ? out + sep + p : p;
              }
              return out;
            } finally {
              joining.length = joining.length - 1;
            }
          }
          function templateShape(t) {
            const shape = { literal: 0, refs: 0, whole: 0, before: 0, after: 0, captures: 0 };
            for (let i = 0; i < t.length; i++) {
              const c = i + 1 < t.length && t[i] === '$' ? t[i + 1] : '';
              if (c === '$') { shape.literal++; i++; }
              else if (c === '&') { shape.whole++; shape.refs++; i++; }
              else if (c === '`') { shape.before++; shape.refs++; i++; }
              else if (c === "'") { shape.after++; shape.refs++; i++; }
              else if ((c >= '0' && c <= '9') || c === '<') { shape.captures++; shape.refs++; shape.literal += 3; i++; }
              else shape.literal++;
            }
            return shape;
          }
          // Bounds what a replacement template can add, measuring the real matches only when a cheap bound is too high.
          function checkTemplate(s, t, target, runWith, what) {
            const shape = templateShape(t);
            const len = s.length;
            if (len + (len + 1) * (shape.literal + shape.refs * len) <= maxLen) return;
            let total = len;
            const lastIndex = target !== null && typeof target === 'object' ? target.lastIndex : undefined;
            runWith(function () {
              const a = arguments;
              let k = a.length - 1;
              if (typeof a[k] === 'object') k--;
              const m = `${a[0]}`.length;
              const offset = +a[k - 1];
              let cap = 0;
              for (let j = 1; j < k - 1; j++) {
                if (a[j] !== undefined && a[j].length > cap) cap = a[j].length;
              }
              total += shape.literal + shape.whole * m + shape.before * offset + shape.after * (len - offset - m) + shape.captures * cap;
              if (total > maxLen) throw tooLong(what, total);
              return '';
            });
            if (typeof lastIndex === 'number') target.lastIndex = lastIndex;
          }
          function countingReplacer(fn, len, what) {
            let total = len;
            return function () {
              const r = `${apply(fn, undefined, arguments)}`;
              total += r.length;
              if (total > maxLen) throw tooLong(what, total);
              return r;
            };
          }
          function stringReplace(original, self, searchValue, replaceValue, what) {
            const s = thisString(self, what);
            if (typeof replaceValue === 'function') {
              return apply(original, s, [searchValue, countingReplacer(replaceValue, s.length, what)]);
            }
            const t = `${replaceValue}`;
            checkTemplate(s, t, searchValue, (fn) => apply(original, s, [searchValue, fn]), what);
            return apply(original, s, [searchValue, t]);
          }

          install(String.prototype, 'repeat', function repeat(count) {
            const s = thisString(this, 'repeat');
            const n = +count;
            if (s.length > 0 && n > 0 && s.length * trunc(n) > maxLen) throw tooLong('repeat', s.length * trunc(n));
            return apply(orig.repeat, s, [n]);
          });
          install(String.prototype, 'padStart', function padStart(maxLength, fillString) {
            const s = thisString(this, 'padStart');
            const n = +maxLength;
            if (n > maxLen && n > s.length) throw tooLong('padStart', n);
            return apply(orig.padStart, s, [n, fillString]);
          });
          install(String.prototype, 'padEnd', function padEnd(maxLength, fillString) {
            const s = thisString(this, 'padEnd');
            const n = +maxLength;
            if (n > maxLen && n > s.length) throw tooLong('padEnd', n);
            return apply(orig.padEnd, s, [n, fillString]);
          });
          install(String.prototype, 'concat', function concat(value) {
            let out = thisString(this, 'concat');
            for (let i = 0; i < arguments.length; i++) {
              const p = `${arguments[i]}`;
              if (out.length + p.length > maxLen) throw tooLong('concat', out.length + p.length);
              out = out + p;
            }
            return out;
          });
          install(String.prototype, 'replace', function replace(searchValue, replaceValue) {
            return stringReplace(orig.replace, this, searchValue, replaceValue, 'replace');
          });
          install(String.prototype, 'replaceAll', function replaceAll(searchValue, replaceValue) {
            return stringReplace(orig.replaceAll, this, searchValue, replaceValue, 'replaceAll');
          });
          install(RegExp.prototype, replaceSymbol, function (string, replaceValue) {
            const s = `${string}`;
            const rx = this;
            if (typeof replaceValue === 'function') {
              return apply(orig.regexpReplace, rx, [s, countingReplacer(replaceValue, s.length, 'replace')]);
            }
            const t = `${replaceValue}`;
            checkTemplate(s, t, rx, (fn) => apply(orig.regexpReplace, rx, [s, fn]), 'replace');
            return apply(orig.regexpReplace, rx, [s, t]);
          });
          install(String, 'raw', function raw(template) {
            const r = toObject(toObject(template).raw);
            const len = lengthOf(r);
            let out = '';
            for (let i = 0; i < len; i++) {
              const p = `${r[i]}`;
              const sub = i + 1 < len && i + 1 < arguments.length ? `${arguments[i + 1]}` : '';
              if (out.length + p.length + sub.length > maxLen) throw tooLong('String.raw', out.length + p.length + sub.length);
              out = out + p + sub;
            }
            return out;
          });
          install(Array.prototype, 'join', function join(separator) {
            return joinGuarded(this, separator, 'join', (e) => `${e}`);
          });
          install(Array.prototype, 'toLocaleString', function toLocaleString() {
            return joinGuarded(this, ',', 'toLocaleString', (e) => `${e.toLocaleString()}`);
          });
          install(JSON, 'stringify', stringify);
          install(Math, 'random', function random() {
            throw new TypeErrorCtor('Math.random is not available in rules: a rule must give the same rows for the same input');
          });
        })
        """;

    /// <summary>Globals a rule does not get: raw memory, weak references, a real clock, other realms, proxies, eval, locale data.</summary>
    public static readonly string[] RemovedGlobals =
    [
        "ArrayBuffer", "SharedArrayBuffer", "DataView", "Atomics", "TypedArray",
        "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
        "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
        "WeakRef", "FinalizationRegistry", "ShadowRealm", "Temporal", "Proxy", "Intl", "eval",
    ];

    public static Prepared<Script> Script { get; } = Engine.PrepareScript(Source, "mybi-prelude.js", strict: true);
}
