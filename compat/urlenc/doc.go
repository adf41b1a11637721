// Package urlenc holds the three URL-style escapings found on Storm's
// outside, which differ in the bytes they leave alone and in how they write
// a space, so that none of them is written twice:
//
//   - JavaEncode/JavaDecode: java.net.URLEncoder/URLDecoder with UTF-8,
//     which name a topology's stormdist directory on a supervisor.
//   - Ring: ring.util.codec/url-encode, which names a component's node
//     under /errors/<storm id>/ in ZooKeeper.
//   - QuotePlus: Python 2's urllib.quote_plus, which storm.py applies to
//     each -c value it passes to a JVM in -Dstorm.options.
//
// Every function works on bytes (the UTF-8 form of the string) and writes
// upper-case hex, as all three originals do.
package urlenc
