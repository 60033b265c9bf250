import { getAuth } from "@/lib/server/request-context";
import { withResolvedClientAddress } from "@/lib/http/client-address";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  return (await getAuth()).handler(withResolvedClientAddress(request));
}

export { handle as GET, handle as POST };
