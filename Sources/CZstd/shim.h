// libzstd, as Debian's libzstd-dev installs it. If this include fails, run:
//     apt-get install -y libzstd-dev
#include <zstd.h>
