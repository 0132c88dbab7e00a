package io.cairn.bench.dict;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The durable dictionary's peer: a Lucene index of the same terms, one document per term with the term as an
 * untokenised {@link StringField}. A write is durable once {@link IndexWriter#commit()} returns (it fsyncs the new
 * segment files and the commit point), so "insert with SYNC" is an {@code addDocument} followed by a commit, and a
 * batch is many {@code addDocument}s and one commit. Lookups seek the term in each segment's terms dictionary.
 */
final class LuceneTermIndex implements Closeable {
    static final String FIELD = "t";

    private final FSDirectory directory;
    private final IndexWriter writer;

    private LuceneTermIndex(FSDirectory directory, IndexWriter writer) {
        this.directory = directory;
        this.writer = writer;
    }

    /** Opens (creating if needed) the index in {@code dir} for writing. */
    static LuceneTermIndex open(Path dir) throws IOException {
        FSDirectory directory = FSDirectory.open(dir);
        return new LuceneTermIndex(directory, new IndexWriter(directory, new IndexWriterConfig()));
    }

    void add(String term) throws IOException {
        Document doc = new Document();
        doc.add(new StringField(FIELD, term, Field.Store.NO));
        writer.addDocument(doc);
    }

    /** Makes everything added so far durable. */
    void commit() throws IOException {
        writer.commit();
    }

    @Override
    public void close() throws IOException {
        writer.close();
        directory.close();
    }

    /** An index in a new scratch directory holding {@code terms}, committed and closed. */
    static Path build(List<String> terms) throws IOException {
        Path dir = DurableTerms.scratch("lucene-");
        try (LuceneTermIndex index = open(dir)) {
            for (String term : terms) {
                index.add(term);
            }
            index.commit();
        }
        return dir;
    }

    /** A reader of a committed index: exact term lookups (one thread). */
    static final class Lookup implements Closeable {
        private final FSDirectory directory;
        private final DirectoryReader reader;
        private final List<TermsEnum> segments = new ArrayList<>();

        Lookup(Path dir) throws IOException {
            directory = FSDirectory.open(dir);
            reader = DirectoryReader.open(directory);
            for (LeafReaderContext leaf : reader.leaves()) {
                Terms terms = leaf.reader().terms(FIELD);
                if (terms != null) {
                    segments.add(terms.iterator());
                }
            }
        }

        boolean contains(String term) throws IOException {
            BytesRef bytes = new BytesRef(term);
            for (TermsEnum e : segments) {
                if (e.seekExact(bytes)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            reader.close();
            directory.close();
        }
    }
}
