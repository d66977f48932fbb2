package org.omnibus.edge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;

/**
 * File descriptors a peer passed with one message, shared by every recipient it is forwarded to. The node
 * holds its own copies of the descriptors until the last recipient's socket has taken them, then closes them.
 */
final class SharedFds
{
    private static final Logger LOG = LoggerFactory.getLogger(SharedFds.class);

    private final FileDescriptor[] fds;
    private int references = 1;

    SharedFds(final FileDescriptor[] fds)
    {
        this.fds = fds;
    }

    FileDescriptor[] fds()
    {
        return fds;
    }

    void retain()
    {
        references++;
    }

    void release()
    {
        if (--references == 0)
        {
            for (final FileDescriptor fd : fds)
            {
                closeQuietly(fd);
            }
        }
    }

    static void closeQuietly(final FileDescriptor fd)
    {
        if (fd != null && fd.valid())
        {
            try (FileInputStream closer = new FileInputStream(fd))
            {
                closer.getFD();
            }
            catch (final IOException ex)
            {
                LOG.debug("closing a passed file descriptor failed: {}", ex.getMessage());
            }
        }
    }
}
