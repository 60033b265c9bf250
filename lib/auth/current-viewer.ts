import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { viewerOf } from "./server";

/** The request's viewer, looked up once per request however many components ask. */
export const currentViewer = cache(async () => viewerOf(await headers()));
