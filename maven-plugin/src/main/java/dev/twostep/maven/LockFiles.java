package dev.twostep.maven;

import dev.twostep.processor.internal.model.LockFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;

/** Reading the lock file from disk, with the compiler's {@code lock-file} errors. */
final class LockFiles {
  private LockFiles() {}

  /** A lock file as read; {@code missing} when there is none yet. */
  record Read(LockFile file, boolean missing) {}

  static Read read(Path path, boolean allowMissing) throws MojoFailureException {
    try {
      return new Read(LockFile.parse(Files.readString(path)), false);
    } catch (NoSuchFileException e) {
      if (allowMissing) {
        return new Read(LockFile.empty(), true);
      }
      throw new MojoFailureException("[twostep:lock-file] no lock file at " + path);
    } catch (IOException e) {
      throw new MojoFailureException("[twostep:lock-file] cannot read the lock file " + path + ": " + e.getMessage(), e);
    } catch (LockFile.MalformedException e) {
      throw new MojoFailureException("[twostep:lock-file] the lock file " + path + " is damaged at line " + e.line() + ": "
          + e.getMessage() + ". Restore it from version control.", e);
    }
  }
}
