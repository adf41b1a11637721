package gale.conformance;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.storm.security.auth.SimpleTransportPlugin;
import org.apache.storm.thrift.transport.TSocket;
import org.apache.storm.thrift.transport.TTransport;
import org.apache.storm.thrift.transport.TTransportException;

/**
 * Storm's default client transport (SimpleTransportPlugin: framed binary
 * Thrift), unchanged, plus a record of every message a Storm client class
 * sends and the type of the reply it reads. The conformance runner names
 * this class in the peer's storm.yaml (nimbus.thrift.transport) and reads
 * the record to prove which Nimbus methods Storm's own code called.
 *
 * The record goes to the file named by $GALE_RPC_LOG, one line per event:
 * "call PEER CONN HOST:PORT METHOD" when a message is flushed and
 * "reply PEER CONN HOST:PORT METHOD TYPE" when its reply header is read
 * (TYPE is REPLY or EXCEPTION: a TApplicationException; declared Thrift
 * exceptions arrive as REPLY). PEER is $GALE_RPC_PEER, CONN is
 * "<pid>.<n>", one per connection. Without $GALE_RPC_LOG nothing is
 * recorded.
 */
public class RecordingTransportPlugin extends SimpleTransportPlugin {
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    @Override
    public TTransport connect(TTransport transport, String serverHost, String asUser)
            throws TTransportException {
        TTransport conn = super.connect(transport, serverHost, asUser);
        String path = System.getenv("GALE_RPC_LOG");
        if (path == null || path.isEmpty()) {
            return conn;
        }
        String peer = System.getenv("GALE_RPC_PEER");
        if (peer == null || peer.isEmpty()) {
            peer = "unknown";
        }
        int port = -1;
        if (transport instanceof TSocket && ((TSocket) transport).getSocket() != null) {
            port = ((TSocket) transport).getSocket().getPort();
        }
        String id = ProcessHandle.current().pid() + "." + CONNECTIONS.incrementAndGet();
        return new Recorder(conn, path, peer + " " + id, serverHost + ":" + port);
    }

    /** Appends one line to the record; lines are short, so O_APPEND keeps them whole. */
    static synchronized void record(String path, String line) {
        try (FileOutputStream out = new FileOutputStream(path, true)) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("gale RecordingTransportPlugin: " + e);
        }
    }

    /** Parses the strict TBinaryProtocol message header: version|type, name. */
    static String[] header(byte[] b, int n) {
        if (n < 8) {
            return null;
        }
        int v = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if ((v & 0xffff0000) != 0x80010000) {
            return null;
        }
        int len = ((b[4] & 0xff) << 24) | ((b[5] & 0xff) << 16) | ((b[6] & 0xff) << 8) | (b[7] & 0xff);
        if (len < 0 || len > 256 || n < 8 + len) {
            return null;
        }
        String type;
        switch (v & 0xff) {
            case 1: type = "CALL"; break;
            case 2: type = "REPLY"; break;
            case 3: type = "EXCEPTION"; break;
            case 4: type = "ONEWAY"; break;
            default: type = "TYPE" + (v & 0xff);
        }
        return new String[] {new String(b, 8, len, StandardCharsets.UTF_8), type};
    }

    /** Delegates everything; sees the bytes of each message on the way. */
    static final class Recorder extends TTransport {
        private final TTransport inner;
        private final String path, peer, server;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final byte[] in = new byte[300];
        private int inLen = -1; // -1: not waiting for a reply header

        Recorder(TTransport inner, String path, String peer, String server) {
            this.inner = inner;
            this.path = path;
            this.peer = peer;
            this.server = server;
        }

        @Override public boolean isOpen() { return inner.isOpen(); }
        @Override public boolean peek() { return inner.peek(); }
        @Override public void open() throws TTransportException { inner.open(); }
        @Override public void close() { inner.close(); }

        @Override
        public int read(byte[] buf, int off, int len) throws TTransportException {
            int n = inner.read(buf, off, len);
            if (inLen >= 0 && n > 0) {
                int take = Math.min(n, in.length - inLen);
                System.arraycopy(buf, off, in, inLen, take);
                inLen += take;
                String[] h = header(in, inLen);
                if (h != null) {
                    record(path, "reply " + peer + " " + server + " " + h[0] + " " + h[1]);
                    inLen = -1;
                } else if (inLen == in.length) {
                    inLen = -1;
                }
            }
            return n;
        }

        @Override
        public void write(byte[] buf, int off, int len) throws TTransportException {
            out.write(buf, off, len);
            inner.write(buf, off, len);
        }

        @Override
        public void flush() throws TTransportException {
            byte[] msg = out.toByteArray();
            out.reset();
            String[] h = header(msg, msg.length);
            if (h != null) {
                record(path, "call " + peer + " " + server + " " + h[0]);
                inLen = 0;
            }
            inner.flush();
        }
    }
}
