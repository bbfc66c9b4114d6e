/** The EKS platform built by the real program for stack prod-us-east-1, under mocks. */
import { eksProgramSuite } from "./support/eks-plan";

eksProgramSuite("prod-us-east-1");
