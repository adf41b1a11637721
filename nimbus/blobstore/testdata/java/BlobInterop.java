// BlobInterop drives Storm 1.0.0's own LocalFsBlobStore against a blobs
// directory, so Gale's blobstore tests can check both directions:
//
//   BlobInterop <zk-host> <zk-port> <base> list
//       prints "key|version|acl|length|sha256" per key (ACL entries as
//       BlobStoreAclHandler.accessControlToString, joined by ',').
//   BlobInterop <zk-host> <zk-port> <base> create <key> <utf-8 content>
//       creates the key with SettableBlobMeta(BlobStoreAclHandler.DEFAULT),
//       as nimbus's setup-storm-code does.
//
// <base> is the directory holding "blobs" (LocalFsBlobStore's overrideBase).
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.storm.blobstore.BlobStoreAclHandler;
import org.apache.storm.blobstore.LocalFsBlobStore;
import org.apache.storm.generated.AccessControl;
import org.apache.storm.generated.ReadableBlobMeta;
import org.apache.storm.generated.SettableBlobMeta;
import org.apache.storm.utils.Utils;

public class BlobInterop {
    public static void main(String[] args) throws Exception {
        Map conf = Utils.readDefaultConfig();
        conf.put("storm.zookeeper.servers", Arrays.asList(args[0]));
        conf.put("storm.zookeeper.port", Integer.parseInt(args[1]));
        conf.put("storm.zookeeper.root", "/gale-blob-interop");
        LocalFsBlobStore store = new LocalFsBlobStore();
        store.prepare(conf, args[2], null);
        try {
            if ("list".equals(args[3])) {
                Iterator<String> keys = store.listKeys();
                while (keys.hasNext()) {
                    String key = keys.next();
                    ReadableBlobMeta meta = store.getBlobMeta(key, null);
                    List<String> acl = new ArrayList<String>();
                    for (AccessControl ac : meta.get_settable().get_acl()) {
                        acl.add(BlobStoreAclHandler.accessControlToString(ac));
                    }
                    InputStream in = store.getBlob(key, null);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        out.write(buf, 0, n);
                    }
                    in.close();
                    byte[] data = out.toByteArray();
                    StringBuilder hex = new StringBuilder();
                    for (byte b : MessageDigest.getInstance("SHA-256").digest(data)) {
                        hex.append(String.format("%02x", b));
                    }
                    System.out.println(key + "|" + meta.get_version() + "|" + String.join(",", acl)
                            + "|" + data.length + "|" + hex);
                }
            } else if ("create".equals(args[3])) {
                store.createBlob(args[4], args[5].getBytes("UTF-8"),
                        new SettableBlobMeta(BlobStoreAclHandler.DEFAULT), null);
            } else {
                throw new IllegalArgumentException("unknown mode " + args[3]);
            }
        } finally {
            store.shutdown();
        }
    }
}
