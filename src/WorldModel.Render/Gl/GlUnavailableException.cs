namespace WorldModel.Render.Gl;

/// <summary>No usable OpenGL: the message names what is missing and how to install it.</summary>
public sealed class GlUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    public const string InstallHint =
        "On Debian/Ubuntu install the EGL loader and Mesa's software driver: " +
        "sudo apt-get install -y libegl1 libgl1-mesa-dri " +
        "(on an NVIDIA server the driver's EGL library is used instead). " +
        "Or use the CPU renderer (render.renderer=cpu in a config, --renderer cpu on the command line).";
}
